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
    expect(h.status.getRecord({ target: "test", name: "a.example.com", type: "A" })).toMatchObject({ state: "failing", lastError: "Cloudflare asked us to slow down (HTTP 429)" });
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

describe("failure lines and retries", () => {
  const REFUSED = { ok: false as const, kind: "auth" as const, message: "Cloudflare refused the API token (HTTP 403); check DDNS_PROVIDER_API_TOKEN" };

  it("says once per round what failed alike, naming every record, with the delay scheduled", async () => {
    const h = harness({ records: ["a.example.com", "b.example.com"], families: [4, 6] });
    await h.reconciler.init();
    h.prov.failNext.push(REFUSED, REFUSED, REFUSED, REFUSED);
    const report = await h.reconciler.runRound("startup", h.signal);
    expect(h.log.lines.filter((l) => l.includes("Could not"))).toEqual([
      "ERROR Could not update 4 records (a.example.com A, b.example.com A, a.example.com AAAA, b.example.com AAAA): Cloudflare refused the API token (HTTP 403); check DDNS_PROVIDER_API_TOKEN; next attempt in 30s kind=auth attempt=1",
    ]);
    expect(report.nextRetryAt).toBe(h.now() + 30_000);
    expect(h.status.getRecord({ target: "test", name: "b.example.com", type: "AAAA" })).toMatchObject({ state: "failing", lastError: REFUSED.message });
  });

  it("retries a rate-limited record after exactly its Retry-After, without climbing the backoff", async () => {
    const h = harness();
    await h.reconciler.init();
    h.prov.failNext.push({ ok: false, kind: "transient", message: "Cloudflare failed (HTTP 503)" });
    await h.reconciler.runRound("startup", h.signal);
    h.advance(1_000);
    h.prov.failNext.push({ ok: false, kind: "rate-limited", message: "Cloudflare is rate-limiting requests (HTTP 429)", retryAfterMs: 1_000 });
    const limited = await h.reconciler.runRound("retry", h.signal);
    expect(limited.nextRetryAt).toBe(h.now() + 1_000);
    expect(h.log.lines).toContain("WARN Could not update A record home.example.com to 203.0.113.1: Cloudflare is rate-limiting requests (HTTP 429); next attempt in 1s kind=rate-limited attempt=2");
    h.advance(1_000);
    h.prov.failNext.push({ ok: false, kind: "transient", message: "Cloudflare failed (HTTP 503)" });
    const after = await h.reconciler.runRound("retry", h.signal);
    // The backoff stood at 1 (one transient failure): the next transient failure waits 2 s, not 4 s.
    expect(after.nextRetryAt).toBe(h.now() + 2_000);
  });

  it("counts the retry delay from when the provider answered", async () => {
    const h = harness();
    await h.reconciler.init();
    const setRecords = h.prov.provider.setRecords;
    h.prov.provider.setRecords = async (requests, options) => {
      h.advance(5_000); // a slow provider
      return setRecords(requests, options);
    };
    h.prov.failNext.push({ ok: false, kind: "transient", message: "Cloudflare failed (HTTP 503)" });
    const report = await h.reconciler.runRound("startup", h.signal);
    expect(report.nextRetryAt).toBe(h.now() + 1_000);
  });

  it("a final round (ddnsd once) promises no next attempt", async () => {
    const h = harness();
    await h.reconciler.init();
    h.prov.failNext.push(REFUSED);
    await h.reconciler.runRound("once", h.signal, { final: true });
    expect(h.log.lines).toContain("ERROR Could not update A record home.example.com to 203.0.113.1: Cloudflare refused the API token (HTTP 403); check DDNS_PROVIDER_API_TOKEN kind=auth attempt=1");
  });

  it("a dry run that cannot read says what it would have done", async () => {
    const h = harness({ dryRun: true });
    await h.reconciler.init();
    h.prov.failNext.push(REFUSED);
    await h.reconciler.runRound("once", h.signal, { final: true });
    expect(h.log.lines.filter((l) => l.includes("Could not update"))).toEqual([]);
    expect(h.log.lines).toContain(
      "ERROR Dry run: could not check whether A record home.example.com needs to be set to 203.0.113.1: Cloudflare refused the API token (HTTP 403); check DDNS_PROVIDER_API_TOKEN kind=auth attempt=1",
    );
  });
});

describe("a record the provider has stopped (final)", () => {
  it("is reported once with no next attempt, then only at debug", async () => {
    const h = harness();
    await h.reconciler.init();
    const stop = { ok: false as const, kind: "auth" as const, message: 'No-IP answered "badauth": the user name and password were refused. ddnsd stops all updates until it restarts', final: true };
    h.prov.failNext.push(stop);
    await h.reconciler.runRound("startup", h.signal);
    h.advance(60_000);
    h.prov.failNext.push({ ...stop, message: `not sent: ${stop.message}` });
    await h.reconciler.runRound("retry", h.signal);
    expect(h.log.lines.filter((l) => l.includes("Could not update"))).toEqual([
      'ERROR Could not update A record home.example.com to 203.0.113.1: No-IP answered "badauth": the user name and password were refused. ddnsd stops all updates until it restarts kind=auth attempt=1',
      'DEBUG Could not update A record home.example.com to 203.0.113.1: not sent: No-IP answered "badauth": the user name and password were refused. ddnsd stops all updates until it restarts kind=auth attempt=2',
    ]);
  });
});

describe("retries the loop cannot act on", () => {
  it("a record whose retry is due while its family is not detected waits for the poll, not a retry round at once", async () => {
    const h = harness({ families: [4, 6] });
    await h.reconciler.init();
    h.prov.failNext.push({ ok: false, kind: "transient", message: "Cloudflare failed (HTTP 503)" });
    const first = await h.reconciler.runRound("startup", h.signal);
    expect(first.nextRetryAt).toBe(h.now() + 1_000);
    h.advance(1_000);
    h.src.set(4, undefined); // the A record's retry is due, but there is no IPv4 address to give it
    const report = await h.reconciler.runRound("retry", h.signal);
    // A time in the past here made the scheduler start round after round without pause, asking the IP endpoint each time.
    expect(report.nextRetryAt).toBeUndefined();
    h.src.set(4, "203.0.113.1");
    h.advance(60_000);
    await h.reconciler.runRound("poll", h.signal);
    expect(h.prov.records.get("home.example.com/A")).toBe("203.0.113.1");
  });
});
