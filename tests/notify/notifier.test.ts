import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createNotifier } from "../../src/notify/notifier.ts";
import { createMessagePolicy } from "../../src/notify/message-policy.ts";
import { createHeartbeatChannel } from "../../src/notify/heartbeats.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { Registry } from "../../src/metrics/registry.ts";
import type { Channel, Delivery, RoundNews, SendResult } from "../../src/notify/types.ts";
import { serveRoutes, type RoutesServer } from "../fakes/routes-server.ts";

/** The notifier's promises: messages only when something happened, never a wait for the caller, a failing channel said once. */
const quiet: RoundNews = { changes: [], failing: [], recovered: [], confirmed: true };
const change = (name: string, content: string) => ({ subject: `A record ${name}`, name, content });

function recording(label: string, answer: (d: Delivery) => Promise<SendResult> | SendResult = () => ({ ok: true })): Channel & { got: Delivery[] } {
  const got: Delivery[] = [];
  return { label, display: `${label}://example`, kind: "service", got, send: async (d) => (got.push(d), answer(d)) };
}
const settle = () => new Promise((r) => setTimeout(r, 20));

describe("the message policy", () => {
  it.each<{ name: string; first: boolean; news: RoundNews; titles: string[] }>([
    { name: "a quiet round says nothing", first: false, news: quiet, titles: [] },
    { name: "a restart with nothing to change says nothing", first: true, news: quiet, titles: [] },
    { name: "the first round that changes records says started", first: true, news: { ...quiet, changes: [change("a.example.com", "203.0.113.7")] }, titles: ["ddnsd started: records updated"] },
    {
      name: "failure and recovery in one round are two messages",
      first: false,
      news: { ...quiet, failing: [{ subject: "A record b.example.com", message: "HTTP 503" }], recovered: [change("c.example.com", "203.0.113.7")] },
      titles: ["ddnsd: record update failing", "ddnsd: record updates work again"],
    },
  ])("$name", ({ first, news, titles }) => {
    const p = createMessagePolicy();
    if (first) p.started();
    expect(p.messages(news).map((m) => m.title)).toEqual(titles);
  });

  it("a first round that failed without changing leaves 'started' to the first change", () => {
    const p = createMessagePolicy();
    p.started();
    const failing = { ...quiet, confirmed: false, failing: [{ subject: "A record a.example.com", message: "HTTP 503" }] };
    const changed = { ...quiet, changes: [change("a.example.com", "203.0.113.7")] };
    expect([...p.messages(failing), ...p.messages(changed), ...p.messages(changed)].map((m) => m.title)).toEqual([
      "ddnsd: record update failing",
      "ddnsd started: records updated",
      "ddnsd: address changed",
    ]);
  });

  it("groups the records of one address: home.example.com and 3 others → 203.0.113.7", () => {
    const p = createMessagePolicy();
    const names = ["home.example.com", "a.example.com", "b.example.com", "c.example.com"];
    const news = { ...quiet, changes: [...names.map((n) => change(n, "203.0.113.7")), change("home.example.com", "2001:db8::7")] };
    expect(p.messages(news)).toEqual([{ title: "ddnsd: address changed", body: "home.example.com and 3 others → 203.0.113.7\nhome.example.com → 2001:db8::7" }]);
  });
});

describe("delivery never holds up the caller", () => {
  it("a channel that never answers does not delay the report, nor the other channels", async () => {
    const hung = recording("hung", () => new Promise<SendResult>(() => {}));
    const fine = recording("fine");
    const n = createNotifier({ channels: [hung, fine], log: createMemoryLogger() });
    const before = performance.now();
    n.roundEnded({ ...quiet, changes: [change("a.example.com", "203.0.113.7")] });
    expect(performance.now() - before).toBeLessThan(50);
    await settle();
    expect(fine.got).toHaveLength(1);
    const closing = performance.now();
    await n.close(100);
    expect(performance.now() - closing).toBeLessThan(1000);
  });

  it("a channel that throws is a failure, not a crash", async () => {
    const log = createMemoryLogger();
    const n = createNotifier({ channels: [recording("boom", () => Promise.reject(new Error("kaput")))], log });
    n.roundEnded({ ...quiet, changes: [change("a.example.com", "203.0.113.7")] });
    await settle();
    expect(log.lines.filter((l) => l.includes("Could not notify"))).toEqual([
      "WARN Could not notify boom (boom://example): kaput; the daemon goes on, later messages are still tried (ddns_notifications_total counts each)",
    ]);
  });

  it("the same problem is logged once, a new one again, and the recovery once", async () => {
    const answers: SendResult[] = [
      { ok: false, problem: "HTTP 500", transient: false },
      { ok: false, problem: "HTTP 500", transient: false },
      { ok: false, problem: "connection refused", transient: false },
      { ok: true },
    ];
    const log = createMemoryLogger();
    const counter = new Registry().counter("ddns_notifications_total", "t");
    const n = createNotifier({ channels: [recording("ntfy", () => answers.shift()!)], log, counter });
    for (let i = 0; i < 4; i++) n.roundEnded({ ...quiet, changes: [change(`r${i}.example.com`, "203.0.113.7")] });
    await settle();
    expect(log.lines.filter((l) => l.includes("ntfy (")).map((l) => l.replace(/;.*/, ""))).toEqual([
      "WARN Could not notify ntfy (ntfy://example): HTTP 500",
      "WARN Could not notify ntfy (ntfy://example): connection refused",
      "INFO Notifications to ntfy (ntfy://example) work again",
    ]);
    expect({ sent: counter.get({ channel: "ntfy", result: "sent" }), failed: counter.get({ channel: "ntfy", result: "failed" }) }).toEqual({ sent: 1, failed: 3 });
  });

  it("a transient failure is tried once more", async () => {
    const answers: SendResult[] = [{ ok: false, problem: "HTTP 503", transient: true }, { ok: true }];
    const ch = recording("gotify", () => answers.shift()!);
    const log = createMemoryLogger();
    const n = createNotifier({ channels: [ch], log, retryDelayMs: 1 });
    n.roundEnded({ ...quiet, changes: [change("a.example.com", "203.0.113.7")] });
    await settle();
    expect(ch.got).toHaveLength(2);
    expect(log.lines.filter((l) => l.includes("Could not notify"))).toEqual([]);
  });

  it("hands waitUntil (the Worker's hook) the work of each report, which settles only after the retry", async () => {
    const answers: SendResult[] = [{ ok: false, problem: "HTTP 503", transient: true }, { ok: true }];
    const ch = recording("gotify", () => answers.shift()!);
    const kept: Array<Promise<void>> = [];
    const n = createNotifier({ channels: [ch], log: createMemoryLogger(), retryDelayMs: 30, waitUntil: (work) => void kept.push(work) });
    n.roundEnded({ ...quiet, changes: [change("a.example.com", "203.0.113.7")] });
    expect({ kept: kept.length, sent: ch.got.length }).toEqual({ kept: 1, sent: 1 });
    await kept[0];
    expect(ch.got).toHaveLength(2);
    n.roundEnded(quiet);
    expect(kept).toHaveLength(1); // a quiet round sends nothing: nothing to keep alive
  });

  it("the queue is bounded: behind a hung delivery, the oldest waiting ones are dropped and counted", async () => {
    const ch = recording("slow", () => new Promise<SendResult>(() => {}));
    const counter = new Registry().counter("ddns_notifications_total", "t");
    const n = createNotifier({ channels: [ch], log: createMemoryLogger(), counter, queueLimit: 3 });
    for (let i = 0; i < 10; i++) n.roundEnded({ ...quiet, changes: [change(`r${i}.example.com`, "203.0.113.7")] });
    // One in flight, three waiting, six dropped.
    expect(counter.get({ channel: "slow", result: "dropped" })).toBe(6);
    await n.close(10);
  });
});

describe("heartbeats (healthchecks.io, Uptime Kuma)", () => {
  let server: RoutesServer;
  beforeAll(() => {
    const ok = () => new Response("OK");
    server = serveRoutes({ "/ping/5b4f1c3e": ok, "/ping/5b4f1c3e/start": ok, "/ping/5b4f1c3e/fail": ok, "/api/push/Kum4Pu5h": ok });
  });
  afterAll(() => server.stop());
  const deps = { fetch, now: Date.now, userAgent: "ddnsd-test", timeoutMs: 5000 };

  it("healthchecks.io: /start when a round begins, the bare URL after a confirmed round, /fail with the reason", async () => {
    const hc = createHeartbeatChannel("healthchecks", `${server.origin}/ping/5b4f1c3e?rid=1`, deps);
    const n = createNotifier({ channels: [hc], log: createMemoryLogger() });
    server.seen.length = 0;
    n.roundStarted();
    n.roundEnded(quiet);
    n.roundStarted();
    n.roundEnded({ ...quiet, confirmed: false, problem: "1 record(s) failing: HTTP 503" });
    await n.close(2000);
    expect(server.seen.map((s) => ({ request: `${s.method} ${s.path}`, body: s.body }))).toEqual([
      { request: "POST /ping/5b4f1c3e/start?rid=1", body: "" },
      { request: "POST /ping/5b4f1c3e?rid=1", body: "every record is up to date" },
      { request: "POST /ping/5b4f1c3e/start?rid=1", body: "" },
      { request: "POST /ping/5b4f1c3e/fail?rid=1", body: "1 record(s) failing: HTTP 503" },
    ]);
  });

  it("Uptime Kuma: status=up or status=down with msg, nothing at a round's start", async () => {
    const kuma = createHeartbeatChannel("uptimekuma", `${server.origin}/api/push/Kum4Pu5h?status=up&msg=OK&ping=`, deps);
    const n = createNotifier({ channels: [kuma], log: createMemoryLogger() });
    server.seen.length = 0;
    n.roundStarted();
    n.roundEnded(quiet);
    n.roundEnded({ ...quiet, confirmed: false, problem: "no IPv4 address" });
    await n.close(2000);
    expect(server.seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      "GET /api/push/Kum4Pu5h?status=up&msg=every+record+is+up+to+date&ping=",
      "GET /api/push/Kum4Pu5h?status=down&msg=no+IPv4+address&ping=",
    ]);
  });
});
