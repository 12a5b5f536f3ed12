import { describe, expect, it } from "bun:test";
import { harness } from "./fakes.ts";

const gauges = (h: ReturnType<typeof harness>, family: string) => ({
  failing: h.metrics.ipDetectionFailing.get({ family }),
  available: h.metrics.ipFamilyAvailable.get({ family }),
  required: h.metrics.ipFamilyRequired.get({ family }),
});

describe("detection failures are visible", () => {
  it("a family whose detection starts failing shows it in the gauges and in the status, and recovers", async () => {
    const h = harness({ families: [4] });
    await h.reconciler.init();
    expect(gauges(h, "ipv4")).toEqual({ failing: 0, available: 0, required: 1 });
    await h.reconciler.runRound("startup", h.signal);
    expect(gauges(h, "ipv4")).toEqual({ failing: 0, available: 1, required: 1 });
    h.src.set(4, undefined);
    h.advance(60_000);
    const since = new Date(h.now()).toISOString();
    await h.reconciler.runRound("poll", h.signal);
    h.advance(60_000);
    await h.reconciler.runRound("poll", h.signal);
    expect(gauges(h, "ipv4")).toEqual({ failing: 1, available: 0, required: 1 });
    expect(h.status.snapshot().addresses.ipv4).toEqual({
      address: "203.0.113.1",
      detectedAt: expect.any(String),
      source: "test",
      lastError: "no IPv4 in the script",
      failingSince: since,
      available: false,
      required: true,
    });
    h.src.set(4, "203.0.113.1");
    await h.reconciler.runRound("poll", h.signal);
    expect(gauges(h, "ipv4")).toEqual({ failing: 0, available: 1, required: 1 });
    expect(h.status.snapshot().addresses.ipv4).toMatchObject({ lastError: null, failingSince: null, available: true });
    expect(h.log.lines).toContain("INFO IPv4 address detection works again");
  });
});

describe("a default family that was never detected (a host without IPv6)", () => {
  const IPV6_MISSING =
    "WARN No IPv6 address detected: no IPv6 in the script; the AAAA records are left alone and readiness does not wait for them until one is detected. " +
    "DDNS_IP_VERSIONS is not set: set it to 4 to stop looking for IPv6, or to 4,6 to require it. Reminder in 1h.";

  it("does not hold readiness back, counts rounds as ok, and is mentioned at most once an hour", async () => {
    const h = harness({ families: [4, 6], optionalFamilies: [4, 6] });
    h.src.set(6, undefined);
    await h.reconciler.init();
    const first = await h.reconciler.runRound("startup", h.signal);
    expect(first.confirmed).toBe(true);
    expect(h.status.readiness()).toEqual({ ok: true, reason: "ok" });
    for (let i = 0; i < 59; i++) {
      h.advance(60_000);
      await h.reconciler.runRound("poll", h.signal);
    }
    expect(h.log.lines.filter((l) => l.includes("IPv6"))).toEqual([IPV6_MISSING]);
    h.advance(60_000);
    await h.reconciler.runRound("poll", h.signal);
    expect(h.log.lines.filter((l) => l.includes("IPv6"))).toEqual([IPV6_MISSING, IPV6_MISSING]);
    expect(h.metrics.rounds.get({ result: "ok" })).toBe(61);
    expect(gauges(h, "ipv6")).toEqual({ failing: 1, available: 0, required: 0 });
    expect(h.status.snapshot().addresses.ipv6).toMatchObject({ address: null, lastError: "no IPv6 in the script", available: false, required: false });
  });

  it("counts from its first detection on: its records then hold readiness back until confirmed", async () => {
    const h = harness({ families: [4, 6], optionalFamilies: [4, 6] });
    h.src.set(6, undefined);
    await h.reconciler.init();
    await h.reconciler.runRound("startup", h.signal);
    h.src.set(6, "2001:db8::1");
    h.prov.failNext.push({ ok: false, kind: "transient", message: "Cloudflare failed (HTTP 503)" });
    await h.reconciler.runRound("poll", h.signal);
    expect(h.status.readiness()).toEqual({ ok: false, reason: "not confirmed: home.example.com AAAA failing (Cloudflare failed (HTTP 503))" });
    expect(gauges(h, "ipv6")).toEqual({ failing: 0, available: 1, required: 1 });
  });

  it("an explicitly asked-for family holds readiness back and is warned about once per streak", async () => {
    const h = harness({ families: [4, 6] });
    h.src.set(6, undefined);
    await h.reconciler.init();
    const report = await h.reconciler.runRound("startup", h.signal);
    expect(report.confirmed).toBe(false);
    expect(h.status.readiness()).toEqual({ ok: false, reason: "not confirmed: home.example.com AAAA pending" });
    expect(gauges(h, "ipv6")).toEqual({ failing: 1, available: 0, required: 1 });
    expect(h.log.lines).toContain("WARN Could not detect the IPv6 address: no IPv6 in the script; its records are left alone until it is detected again");
  });

  it("with neither family detected the daemon is not ready", async () => {
    const h = harness({ families: [4, 6], optionalFamilies: [4, 6] });
    h.src.set(4, undefined);
    h.src.set(6, undefined);
    await h.reconciler.init();
    const report = await h.reconciler.runRound("startup", h.signal);
    expect(report.confirmed).toBe(false);
    expect(h.status.readiness()).toEqual({ ok: false, reason: "no address detected yet: IPv4 (no IPv4 in the script); IPv6 (no IPv6 in the script)" });
    expect(h.metrics.rounds.get({ result: "failed" })).toBe(1);
  });
});
