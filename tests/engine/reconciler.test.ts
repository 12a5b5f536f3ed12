import { describe, expect, it } from "bun:test";
import { harness } from "./fakes.ts";

describe("reconciler rounds", () => {
  it("creates missing records on the first round and confirms them", async () => {
    const h = harness({ families: [4, 6] });
    await h.reconciler.init();
    const report = await h.reconciler.runRound("startup", h.signal);
    expect(report.confirmed).toBe(true);
    expect([...h.prov.records]).toEqual([["home.example.com/A", "203.0.113.1"], ["home.example.com/AAAA", "2001:db8::1"]]);
    expect(h.log.lines).toContain("INFO Created A record home.example.com → 203.0.113.1");
    expect(h.log.lines).toContain("INFO Detected IPv4 address: 203.0.113.1 source=test");
    expect(h.metrics.recordUpdates.get({ type: "A", result: "created" })).toBe(1);
  });

  it("makes no provider call while nothing changed and no re-read is due", async () => {
    const h = harness();
    await h.reconciler.init();
    await h.reconciler.runRound("startup", h.signal);
    const calls = h.prov.calls();
    for (let i = 0; i < 5; i++) {
      h.advance(60_000);
      await h.reconciler.runRound("poll", h.signal);
    }
    expect(h.prov.calls()).toBe(calls);
  });

  it("updates on an address change and counts the change", async () => {
    const h = harness();
    await h.reconciler.init();
    await h.reconciler.runRound("startup", h.signal);
    h.src.set(4, "203.0.113.2");
    await h.reconciler.runRound("poll", h.signal);
    expect(h.prov.records.get("home.example.com/A")).toBe("203.0.113.2");
    expect(h.log.lines).toContain("INFO IPv4 address changed: 203.0.113.1 → 203.0.113.2 source=test");
    expect(h.log.lines).toContain("INFO Updated A record home.example.com: 203.0.113.1 → 203.0.113.2");
    expect(h.metrics.ipChanges.get({ family: "ipv4" })).toBe(1);
  });

  it("re-reads the provider once the verify interval has passed and repairs a hand edit", async () => {
    const h = harness({ verifyIntervalMs: 3_600_000 });
    await h.reconciler.init();
    await h.reconciler.runRound("startup", h.signal);
    h.prov.records.set("home.example.com/A", "198.51.100.99"); // edited by hand
    h.advance(30 * 60_000);
    await h.reconciler.runRound("poll", h.signal);
    expect(h.prov.records.get("home.example.com/A")).toBe("198.51.100.99");
    h.advance(31 * 60_000);
    await h.reconciler.runRound("poll", h.signal);
    expect(h.prov.records.get("home.example.com/A")).toBe("203.0.113.1");
  });

  it("leaves a family's records alone when it cannot be detected", async () => {
    const h = harness({ families: [4, 6] });
    h.src.set(6, undefined);
    await h.reconciler.init();
    const report = await h.reconciler.runRound("startup", h.signal);
    expect(report.confirmed).toBe(false);
    expect(h.prov.records.has("home.example.com/AAAA")).toBe(false);
    expect(h.log.lines).toContain("WARN Could not detect the IPv6 address: no IPv6 in the script; its records are left alone until it is detected again");
    await h.reconciler.runRound("poll", h.signal);
    expect(h.log.lines.filter((l) => l.includes("Could not detect the IPv6")).length).toBe(1);
  });

  it("backs off a failing record, honours Retry-After, and does not block the others", async () => {
    const h = harness({ records: ["a.example.com", "b.example.com"] });
    await h.reconciler.init();
    h.prov.failNext.push({ ok: false, kind: "rate-limited", message: "Cloudflare asked us to slow down (HTTP 429)", retryAfterMs: 60_000 });
    const report = await h.reconciler.runRound("startup", h.signal);
    expect(h.prov.records.get("b.example.com/A")).toBe("203.0.113.1");
    expect(h.prov.records.has("a.example.com/A")).toBe(false);
    expect(report.nextRetryAt).toBe(h.now() + 60_000);
    expect(h.log.lines).toContain("WARN Could not update A record a.example.com to 203.0.113.1: Cloudflare asked us to slow down (HTTP 429); next attempt in 1m kind=rate-limited attempt=1");
    expect(h.status.getRecord("a.example.com", "A")).toMatchObject({ state: "failing", lastError: "Cloudflare asked us to slow down (HTTP 429)" });
    h.advance(30_000);
    await h.reconciler.runRound("retry", h.signal);
    expect(h.prov.records.has("a.example.com/A")).toBe(false);
    h.advance(31_000);
    const later = await h.reconciler.runRound("retry", h.signal);
    expect(h.prov.records.get("a.example.com/A")).toBe("203.0.113.1");
    expect(later.confirmed).toBe(true);
    expect(h.log.lines).toContain("INFO A record a.example.com recovered");
  });

  it("a dry run reads but writes nothing and stores nothing", async () => {
    const h = harness({ dryRun: true });
    await h.reconciler.init();
    const report = await h.reconciler.runRound("once", h.signal);
    expect(h.prov.writes()).toBe(0);
    expect(report.confirmed).toBe(false);
    expect(h.log.lines).toContain("INFO Dry run: would set A record home.example.com to 203.0.113.1 (now nothing)");
    expect((await h.store.load()).size).toBe(0);
  });

  it("a restart with unchanged addresses and stored state makes no provider call", async () => {
    const first = harness();
    await first.reconciler.init();
    await first.reconciler.runRound("startup", first.signal);
    const second = harness({ store: first.store });
    await second.reconciler.init();
    const report = await second.reconciler.runRound("startup", second.signal);
    expect(second.prov.calls()).toBe(0);
    expect(report.confirmed).toBe(true);
  });

  it("survives a provider that throws", async () => {
    const h = harness();
    h.prov.provider.setRecords = async () => {
      throw new Error("boom");
    };
    await h.reconciler.init();
    const report = await h.reconciler.runRound("startup", h.signal);
    expect(report.failures).toHaveLength(1);
    expect(h.log.lines.some((l) => l.includes("the memory provider failed unexpectedly: boom"))).toBe(true);
  });
});

describe("round metrics", () => {
  it("counts rounds by result", async () => {
    const h = harness({ families: [4, 6] });
    await h.reconciler.init();
    await h.reconciler.runRound("startup", h.signal);
    h.src.set(6, undefined);
    await h.reconciler.runRound("poll", h.signal);
    expect(h.metrics.rounds.get({ result: "ok" })).toBe(1);
    expect(h.metrics.rounds.get({ result: "partial" })).toBe(1);
  });
});
