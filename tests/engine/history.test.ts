import { describe, expect, it } from "bun:test";
import { createHistory, HISTORY_LIMIT } from "../../src/engine/history.ts";
import type { HistoryEntry } from "../../src/state/history-types.ts";
import type { StateStore } from "../../src/state/types.ts";
import { harness } from "./fakes.ts";

const T0 = 1_700_000_000_000;

/** A file-like state store double: it starts with `initial` as the history a load read, and keeps every save. */
function savedHistory(initial: HistoryEntry[] = []) {
  const saves: HistoryEntry[][] = [];
  let history = initial.map((e) => ({ ...e }));
  const store: StateStore = {
    type: "file",
    load: async () => new Map(),
    history: () => history.map((e) => ({ ...e })),
    save: async (_records, entries) => {
      if (entries) history = entries.map((e) => ({ ...e }));
      saves.push(history.map((e) => ({ ...e })));
    },
  };
  return { store, saves };
}

describe("history of address changes and record updates", () => {
  it("records the first detection and the record's creation, newest first", async () => {
    const h = harness();
    await h.reconciler.init();
    await h.reconciler.runRound("startup", h.signal);
    expect(h.status.snapshot().history).toEqual([
      { at: T0, kind: "record", target: "test", name: "home.example.com", type: "A", from: null, to: "203.0.113.1", result: "created", error: null },
      { at: T0, kind: "address", family: 4, from: null, to: "203.0.113.1", source: "test" },
    ]);
  });

  it("records an address change and the update it caused, and nothing for rounds that change nothing", async () => {
    const h = harness();
    await h.reconciler.init();
    await h.reconciler.runRound("startup", h.signal);
    for (let i = 0; i < 3; i++) (h.advance(60_000), await h.reconciler.runRound("poll", h.signal));
    h.src.set(4, "203.0.113.2");
    await h.reconciler.runRound("poll", h.signal);
    const history = h.status.snapshot().history;
    expect(history).toHaveLength(4);
    expect(history.slice(0, 2)).toEqual([
      { at: T0 + 180_000, kind: "record", target: "test", name: "home.example.com", type: "A", from: "203.0.113.1", to: "203.0.113.2", result: "updated", error: null },
      { at: T0 + 180_000, kind: "address", family: 4, from: "203.0.113.1", to: "203.0.113.2", source: "test" },
    ]);
  });

  it("records a failing update once per streak, then its recovery", async () => {
    const h = harness();
    await h.reconciler.init();
    for (let i = 0; i < 3; i++) h.prov.failNext.push({ ok: false, kind: "transient", message: "the provider answered 500" });
    await h.reconciler.runRound("startup", h.signal);
    for (let i = 0; i < 3; i++) (h.advance(600_000), await h.reconciler.runRound("retry", h.signal));
    const records = h.status.snapshot().history.filter((e) => e.kind === "record");
    expect(records.map((e) => (e.kind === "record" ? [e.result, e.error] : []))).toEqual([
      ["created", null],
      ["failed", "the provider answered 500"],
    ]);
  });

  it("starts from the stored history: an address seen before is no news, a new one says what it was", async () => {
    const stored: HistoryEntry[] = [{ at: T0 - 86_400_000, kind: "address", family: 4, from: null, to: "203.0.113.1", source: "test" }];
    const same = harness({ store: savedHistory(stored).store });
    await same.reconciler.init();
    await same.reconciler.runRound("startup", same.signal);
    expect(same.status.snapshot().history.filter((e): boolean => e.kind === "address")).toEqual(stored);

    const moved = harness({ store: savedHistory([{ ...stored[0]!, to: "203.0.113.9" }]).store });
    await moved.reconciler.init();
    await moved.reconciler.runRound("startup", moved.signal);
    expect(moved.status.snapshot().history.filter((e): boolean => e.kind === "address")[0]).toEqual({ at: T0, kind: "address", family: 4, from: "203.0.113.9", to: "203.0.113.1", source: "test" });
  });

  it("saves the history after a round that added to it, and only then", async () => {
    const saved = savedHistory();
    const h = harness({ store: saved.store });
    await h.reconciler.init();
    await h.reconciler.runRound("startup", h.signal);
    h.advance(60_000);
    await h.reconciler.runRound("poll", h.signal);
    expect(saved.saves).toEqual([h.status.snapshot().history]);
    expect(saved.saves[0]).toHaveLength(2);
  });

  it("saves a round that changed only the history: a failed update after an address change", async () => {
    const saved = savedHistory();
    const h = harness({ store: saved.store });
    await h.reconciler.init();
    await h.reconciler.runRound("startup", h.signal);
    h.src.set(4, "203.0.113.2");
    h.prov.failNext.push({ ok: false, kind: "transient", message: "the provider answered 500" });
    await h.reconciler.runRound("poll", h.signal);
    // The save before the write (the distrusted record) keeps the old history; the one after the round has the new.
    expect(saved.saves.at(-1)!.slice(0, 2).map((e) => (e.kind === "record" ? e.result : e.kind))).toEqual(["failed", "address"]);
  });

  it("writes nothing in a dry run", async () => {
    const saved = savedHistory();
    const h = harness({ store: saved.store, dryRun: true });
    await h.reconciler.init();
    await h.reconciler.runRound("startup", h.signal);
    expect(saved.saves).toEqual([]);
  });
});

describe("the bounded event list", () => {
  const event = (i: number): HistoryEntry => ({ at: T0 + i, kind: "address", family: 4, from: null, to: `203.0.113.${i % 250}`, source: "test" });

  it.each([
    { name: "below the bound", added: 5, kept: 5 },
    { name: "at the bound", added: HISTORY_LIMIT, kept: HISTORY_LIMIT },
    { name: "past the bound", added: HISTORY_LIMIT + 37, kept: HISTORY_LIMIT },
  ])("$name: keeps the newest $kept, newest first", ({ added, kept }) => {
    const history = createHistory();
    for (let i = 0; i < added; i++) history.add(event(i));
    const entries = history.entries();
    expect(entries).toHaveLength(kept);
    expect(entries[0]!.at).toBe(T0 + added - 1);
    expect(entries.at(-1)!.at).toBe(T0 + added - kept);
  });

  it("restores at most the bound of stored entries, keeping the newest", () => {
    const history = createHistory(3);
    history.restore([event(9), event(8), event(7), event(6)]);
    expect(history.entries().map((e) => e.at)).toEqual([T0 + 9, T0 + 8, T0 + 7]);
    expect(history.lastAddress(4)).toBe("203.0.113.9");
    expect(history.lastAddress(6)).toBeUndefined();
  });
});
