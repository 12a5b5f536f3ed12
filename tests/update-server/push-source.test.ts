import { describe, expect, it } from "bun:test";
import { createPushSource, isPushSource } from "../../src/ip/push/push-source.ts";

/** The push source on its own: what detect returns, when a push counts as done, and how it asks for rounds. */
const AT = Date.parse("2026-01-02T03:04:05.000Z");
const never = () => new AbortController().signal;

function setup() {
  const source = createPushSource({ now: () => AT });
  const reasons: string[] = [];
  const settled: string[] = [];
  const track = (p: Promise<string>, label: string) => void p.then((r) => settled.push(`${label}:${r}`));
  return { source, reasons, settled, track, tick: () => Bun.sleep(0) };
}

describe("push source", () => {
  it("has nothing to detect before a push", async () => {
    const { source } = setup();
    expect(await source.detect(4, never())).toEqual({ ok: false, family: 4, error: "no IPv4 address has been pushed to /nic/update yet" });
    expect(isPushSource(source)).toBe(true);
  });

  it("detects the last pushed address per family and asks for a round", async () => {
    const { source, reasons } = setup();
    void source.watch!((reason) => reasons.push(reason));
    void source.push([{ family: 6, address: "2001:db8::1" }], never());
    void source.push([{ family: 6, address: "2001:db8::2" }], never());
    expect(reasons).toEqual(["push", "push"]);
    expect(await source.detect(6, never())).toEqual({ ok: true, family: 6, address: "2001:db8::2", source: "push at 2026-01-02T03:04:05.000Z" });
    expect((await source.detect(4, never())).ok).toBe(false);
    expect(source.current(6)).toBe("2001:db8::2");
  });

  it("a push is done only when a round that detected it has ended", async () => {
    const t = setup();
    void t.source.watch!(() => {});
    t.track(t.source.push([{ family: 4, address: "203.0.113.1" }], never()), "first");
    t.source.roundDone(); // a round that started before the push: not the one
    await t.tick();
    expect(t.settled).toEqual([]);
    await t.source.detect(4, never());
    t.track(t.source.push([{ family: 4, address: "203.0.113.2" }], never()), "second"); // lands after detection
    t.source.roundDone();
    await t.tick();
    expect(t.settled).toEqual(["first:done"]);
    await t.source.detect(4, never());
    t.source.roundDone();
    await t.tick();
    expect(t.settled).toEqual(["first:done", "second:done"]);
  });

  it("a push before the daemon watches fires as soon as it does", async () => {
    const { source, reasons } = setup();
    void source.push([{ family: 4, address: "203.0.113.1" }], never());
    void source.watch!((reason) => reasons.push(reason));
    expect(reasons).toEqual(["push"]);
  });

  it("gives up waiting when its budget is spent, and on close", async () => {
    const t = setup();
    const budget = new AbortController();
    t.track(t.source.push([{ family: 4, address: "203.0.113.1" }], budget.signal), "budget");
    t.track(t.source.push([{ family: 4, address: "203.0.113.2" }], never()), "close");
    let watching = true;
    void t.source.watch!(() => {}).then(() => (watching = false));
    budget.abort();
    await t.tick();
    expect(t.settled).toEqual(["budget:aborted"]);
    await t.source.close!();
    await t.tick();
    expect({ settled: t.settled, watching }).toEqual({ settled: ["budget:aborted", "close:aborted"], watching: false });
  });
});

describe("push source after a restart", () => {
  it("detects the restored addresses without asking for a round; a push replaces them", async () => {
    const { source, reasons } = setup();
    void source.watch!((reason) => reasons.push(reason));
    source.restore([{ family: 4, address: "203.0.113.9", at: AT - 60_000 }]);
    expect(reasons).toEqual([]);
    expect(await source.detect(4, never())).toEqual({ ok: true, family: 4, address: "203.0.113.9", source: "push at 2026-01-02T03:03:05.000Z (stored before the restart)" });
    expect(source.current(4)).toBe("203.0.113.9");
    void source.push([{ family: 4, address: "203.0.113.10" }], never());
    expect(await source.detect(4, never())).toEqual({ ok: true, family: 4, address: "203.0.113.10", source: "push at 2026-01-02T03:04:05.000Z" });
  });

  it("never replaces an address pushed before the restore", async () => {
    const { source } = setup();
    void source.push([{ family: 6, address: "2001:db8::2" }], never());
    source.restore([{ family: 6, address: "2001:db8::1", at: AT }, { family: 4, address: "203.0.113.9", at: AT }]);
    expect([source.current(6), source.current(4)]).toEqual(["2001:db8::2", "203.0.113.9"]);
  });
});
