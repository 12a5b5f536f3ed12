import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { assertNoSecretLeaked, runBinary, spawnDaemon, type Daemon } from "./harness.ts";
import { freePort, startWorld, until, type TestWorld } from "./world.ts";
import { startNotifyReceiver, type NotifyReceiver } from "../fakes/notify-receiver.ts";
import { eximInstalled, startExim } from "../peers/exim-peer.ts";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * dist/ddnsd's notifications, seen from outside: an address change is one message at each channel (a generic
 * JSON webhook and an ntfy topic), a quiet round or a restart with nothing to change is none, a failure episode is
 * one message and its recovery one more, a webhook that hangs delays neither a record update nor the shutdown, and
 * `ddnsd notify test` says per channel whether it accepted.
 */
setDefaultTimeout(60_000);
let w: TestWorld;
let rx: NotifyReceiver;
const running: Daemon[] = [];
beforeAll(async () => {
  w = await startWorld();
  rx = startNotifyReceiver();
});
afterEach(() => {
  running.splice(0).forEach((d) => d.kill("SIGKILL"));
  w.cf.faults.clear();
  rx.received.length = 0;
});
afterAll(async () => {
  await Promise.all([w.stop(), rx.stop()]);
  assertNoSecretLeaked();
  expect(rx.rejected).toEqual([]);
});

const generic = () => `generic://${rx.hostPort}/hook?template=json&disabletls=yes`;
const ntfy = () => `ntfy://${rx.hostPort}/ddns-topic?scheme=http`;
function start(env: Record<string, string | undefined>): Daemon {
  const d = spawnDaemon([], env);
  running.push(d);
  return d;
}
const messages = () => rx.received.map((r) => `${r.channel}: ${r.title} | ${r.message}`);

describe("dist/ddnsd notifies on changes, not on quiet rounds", () => {
  it("the first round's change is one started message per channel, an address change one more, quiet rounds none", async () => {
    w.ip.set({ v4: "203.0.113.80" });
    const d = start(w.env({ DDNS_RECORDS: "n1.example.com,n2.example.com", DDNS_IP_VERSIONS: "4", DDNS_NOTIFY_URLS: `${generic()},${ntfy()}` }));
    await d.waitForLine("Created A record n2.example.com → 203.0.113.80", 15_000);
    await until(() => rx.received.length, (n) => n >= 2, 5_000, "two started messages");
    w.ip.set({ v4: "203.0.113.81" });
    await d.waitForLine("Updated A record n2.example.com: 203.0.113.80 → 203.0.113.81", 15_000);
    await until(() => rx.received.length, (n) => n >= 4, 5_000, "two change messages");
    await Bun.sleep(2_500); // two or three quiet rounds at DDNS_POLL_INTERVAL=1s
    expect(messages().sort()).toEqual([
      "generic: ddnsd started: records updated | n1.example.com and n2.example.com → 203.0.113.80",
      "generic: ddnsd: address changed | n1.example.com and n2.example.com → 203.0.113.81",
      "ntfy: ddnsd started: records updated | n1.example.com and n2.example.com → 203.0.113.80",
      "ntfy: ddnsd: address changed | n1.example.com and n2.example.com → 203.0.113.81",
    ]);
  });

  it("a restart with nothing to change sends nothing", async () => {
    w.ip.set({ v4: "203.0.113.82" });
    const first = start(w.env({ DDNS_RECORDS: "n3.example.com", DDNS_IP_VERSIONS: "4", DDNS_NOTIFY_URLS: generic() }));
    await first.waitForLine("Created A record n3.example.com → 203.0.113.82", 15_000);
    await until(() => rx.received.length, (n) => n >= 1, 5_000, "the started message");
    first.kill("SIGTERM");
    expect(await first.exited()).toBe(0);
    rx.received.length = 0;
    const second = start(w.env({ DDNS_RECORDS: "n3.example.com", DDNS_IP_VERSIONS: "4", DDNS_NOTIFY_URLS: generic() }));
    await second.waitForLine("A record n3.example.com already points to 203.0.113.82", 15_000);
    await Bun.sleep(1_500);
    expect(messages()).toEqual([]);
  });

  it("a failure episode is one message after the first retry fails, and its recovery one more", async () => {
    w.ip.set({ v4: "203.0.113.83" });
    w.cf.faults.add({ kind: "status", status: 503, path: "/zones", times: 3 });
    const d = start(w.env({ DDNS_RECORDS: "n4.example.com", DDNS_IP_VERSIONS: "4", DDNS_NOTIFY_URLS: generic() }));
    await d.waitForLine("Created A record n4.example.com → 203.0.113.83", 40_000);
    await until(() => rx.received.length, (n) => n >= 3, 5_000, "failure, recovery and change messages");
    await Bun.sleep(1_000);
    expect(rx.received.map((r) => r.title)).toEqual(["ddnsd: record update failing", "ddnsd started: records updated", "ddnsd: record updates work again"]);
    expect(rx.received[0]!.message).toStartWith("A record n4.example.com could not be updated: while looking up the zone, Cloudflare");
  });
});

describe("a channel that hangs or fails holds nothing up", () => {
  it("a hanging and a failing webhook delay neither the update after an address change nor the shutdown", async () => {
    w.ip.set({ v4: "203.0.113.84" });
    const hooks = `generic://${rx.hostPort}/hang?template=json&disabletls=yes,generic://${rx.hostPort}/broken?template=json&disabletls=yes,${generic()}`;
    const d = start(w.env({ DDNS_RECORDS: "n5.example.com", DDNS_IP_VERSIONS: "4", DDNS_NOTIFY_URLS: hooks }));
    await d.waitForLine("Created A record n5.example.com → 203.0.113.84", 15_000);
    await until(() => rx.hung(), (n) => n >= 1, 5_000, "the hanging webhook was called");
    const changed = Date.now();
    w.ip.set({ v4: "203.0.113.85" });
    await d.waitForLine("Updated A record n5.example.com: 203.0.113.84 → 203.0.113.85", 5_000);
    // The poll interval is 1 s: the update comes at the next round, not after the hung webhook's 10 s deadline.
    expect(Date.now() - changed).toBeLessThan(3_500);
    await until(() => rx.received.length, (n) => n >= 2, 5_000, "the working webhook got both messages");
    // 500 is transient: the line comes after the one retry (2 s later) failed too.
    await d.waitForLine("Could not notify generic-2", 6_000);
    const failing = d.lines.filter((l) => l.includes("Could not notify"));
    expect(failing).toEqual([
      `WARN Could not notify generic-2 (generic://${rx.hostPort}/[REDACTED]?…): HTTP 500: "internal error\\n"; the daemon goes on, later messages are still tried (ddns_notifications_total counts each)`,
    ]);
    const stopping = Date.now();
    d.kill("SIGTERM");
    expect(await d.exited()).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(5_000);
  });
});

describe("heartbeats", () => {
  it("healthchecks.io hears /start and success every round, /fail with the reason while a record fails; the metric counts them", async () => {
    w.ip.set({ v4: "203.0.113.86" });
    rx.pings.length = 0;
    w.cf.faults.add({ kind: "status", status: 503, path: "/zones", times: 2 });
    const port = await freePort();
    const d = start(w.env({ DDNS_RECORDS: "n6.example.com", DDNS_IP_VERSIONS: "4", DDNS_HEALTHCHECKS_URL: `${rx.origin}/ping/${rx.checkUuid}`, DDNS_HTTP_ADDR: `127.0.0.1:${port}` }));
    await d.waitForLine("Created A record n6.example.com → 203.0.113.86", 40_000);
    await until(() => rx.pings.filter((p) => p.kind === "success").length, (n) => n >= 2, 5_000, "two success pings");
    const kinds = rx.pings.map((p) => p.kind);
    expect(kinds.slice(0, 2)).toEqual(["start", "fail"]);
    expect(rx.pings[1]!.body).toStartWith("1 record(s) failing: while looking up the zone, Cloudflare");
    // Every round begins with /start and ends with success or /fail.
    const ended = kinds.length - (kinds.at(-1) === "start" ? 1 : 0);
    expect(kinds.slice(0, ended).map((k, i) => (i % 2 === 0 ? k === "start" : k !== "start"))).toEqual(Array(ended).fill(true));
    expect(rx.pings.find((p) => p.kind === "success")!.body).toBe("n6.example.com → 203.0.113.86");
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^ddns_notifications_total\{channel="healthchecks",result="sent"\} [1-9]\d*$/m);
    expect(metrics).toContain('ddns_notifications_total{channel="healthchecks",result="dropped"} 0');
    expect(metrics).not.toContain(rx.checkUuid);
  });
});

describe("ddnsd notify test", () => {
  it.each([
    { name: "every channel accepts: exit 0", urls: () => `${generic()},${ntfy()}`, code: 0, last: "All 2 notification channel(s) accepted the test message" },
    { name: "one refuses: exit 2, and the line says why", urls: () => `${generic()},generic://${rx.hostPort}/broken?template=json&disabletls=yes`, code: 2, last: "1 of 2 notification channel(s) did not accept the test message" },
  ])("$name", async ({ urls, code, last }) => {
    const r = await runBinary(["notify", "test"], w.env({ DDNS_NOTIFY_URLS: urls() }));
    expect(r.code).toBe(code);
    expect(r.lines.at(-1)).toBe(last);
    if (code === 2) expect(r.lines).toContain(`FAILED generic-2 (generic://${rx.hostPort}/[REDACTED]?…): HTTP 500: "internal error\\n"`);
    expect(rx.received.every((m) => m.title === "ddnsd test message")).toBe(true);
  });

  it("with nothing configured it says so and exits 1", async () => {
    const r = await runBinary(["notify", "test"], w.env());
    expect({ code: r.code, lines: r.lines }).toEqual({ code: 1, lines: ["Nothing to test: set DDNS_NOTIFY_URLS, DDNS_HEALTHCHECKS_URL or DDNS_UPTIMEKUMA_URL."] });
  });

  it("check rejects a bad URL naming the variable and its position, never the token", async () => {
    const r = await runBinary(["check"], w.env({ DDNS_NOTIFY_URLS: `${generic()},discrod://Tok3nS3cr3tValue@12345` }));
    expect(r.code).toBe(1);
    expect(r.stderr.join("")).toContain('Configuration error: DDNS_NOTIFY_URLS: URL 2 of 2 uses the unknown service "discrod"');
    expect(r.lines.join("\n")).not.toContain("Tok3nS3cr3tValue");
  });
});

describe.skipIf(!eximInstalled())("e-mail through a real SMTP server (exim4)", () => {
  it("an address change is one mail per recipient over STARTTLS, and notify test passes", async () => {
    const exim = await startExim();
    try {
      const ca = join(mkdtempSync(join(tmpdir(), "ddnsd-ca-")), "ca.pem");
      writeFileSync(ca, exim.ca);
      const url = `smtp://${exim.user}:${exim.password}@localhost:${exim.startTlsPort}/?from=ddns@example.com&to=me@example.com`;
      const env = w.env({ DDNS_RECORDS: "n7.example.com", DDNS_IP_VERSIONS: "4", DDNS_NOTIFY_URLS: url, NODE_EXTRA_CA_CERTS: ca });
      const test = await runBinary(["notify", "test"], env);
      expect({ code: test.code, last: test.lines.at(-1) }).toEqual({ code: 0, last: "All 1 notification channel(s) accepted the test message" });
      w.ip.set({ v4: "203.0.113.87" });
      const d = spawnDaemon([], env, [exim.password]);
      running.push(d);
      await d.waitForLine("Created A record n7.example.com → 203.0.113.87", 15_000);
      const mails = await until(() => exim.mails(), (m) => m.length >= 2, 10_000, "the test mail and the change mail");
      const change = mails.find((m) => m.includes("Subject: ddnsd started: records updated\n"));
      expect(change).toContain("\n\nn7.example.com → 203.0.113.87\n");
      expect(change).toMatch(/with esmtpsa\s+\(TLS1\.[23]\)/);
    } finally {
      await exim.stop();
    }
  });
});
