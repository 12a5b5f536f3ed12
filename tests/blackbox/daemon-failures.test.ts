import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { assertNoSecretLeaked, runBinary, spawnDaemon, type Daemon } from "./harness.ts";
import { startWorld, until, type TestWorld } from "./world.ts";

/**
 * What dist/ddnsd says and does when the provider fails: one line per distinct failure per round, the delay it
 * actually scheduled, and retries that come when that line says (Retry-After, a short backoff for transient faults).
 */
setDefaultTimeout(60_000);
let w: TestWorld;
const running: Daemon[] = [];
beforeAll(async () => {
  w = await startWorld();
});
afterEach(() => {
  running.splice(0).forEach((d) => d.kill("SIGKILL"));
  w.cf.faults.clear();
});
afterAll(async () => {
  await w.stop();
  assertNoSecretLeaked();
});

function start(env: Record<string, string | undefined>): Daemon {
  const d = spawnDaemon([], env);
  running.push(d);
  return d;
}

const zoneLookups = (name: string) => w.cf.requests().filter((r) => r.path === "/zones" && (r.query.name === undefined || r.query.name === name));
const WRONG = "wrong-token-0123456789abcdefghij";
const REFUSED =
  'while looking up the zone, Cloudflare refused the API token (HTTP 403, code 9109 "Invalid access token"); ' +
  "check DDNS_PROVIDER_API_TOKEN: the token may be mistyped, expired, revoked or limited to other client addresses";
const FOUR = "4 records (a.example.com A, b.example.com A, a.example.com AAAA, b.example.com AAAA)";

describe("dist/ddnsd retries when the service says, and says when", () => {
  it("a 429 with Retry-After: 1 is retried about 1 s later, and the line states that delay", async () => {
    w.ip.set({ v4: "203.0.113.70" });
    w.cf.clearRequests();
    w.cf.faults.add({ kind: "rate-limit", path: "/zones", retryAfter: 1, times: 1 });
    const d = start(w.env({ DDNS_RECORDS: "rl.example.com", DDNS_IP_VERSIONS: "4", DDNS_POLL_INTERVAL: "5m" }));
    await d.waitForLine("INFO Created A record rl.example.com → 203.0.113.70", 15_000);
    const [limited, retried] = zoneLookups("rl.example.com");
    expect(limited?.fault).toBe("rate-limit");
    const gapMs = retried!.at! - limited!.at!;
    expect(gapMs).toBeGreaterThanOrEqual(900);
    expect(gapMs).toBeLessThanOrEqual(3_000);
    expect(d.lines.filter((l) => l.includes("Could not"))).toEqual([
      'WARN Could not update A record rl.example.com to 203.0.113.70: while looking up the zone, Cloudflare is rate-limiting requests (HTTP 429, code 971 "Please wait and consider throttling your request speed"); ' +
        "every client of this Cloudflare user shares 1200 requests per 5 minutes; next attempt in 1s kind=rate-limited attempt=1",
    ]);
  });

  it("four transient faults in a row cost seconds, not minutes", async () => {
    w.ip.set({ v4: "203.0.113.71" });
    w.cf.faults.add({ kind: "status", status: 503, path: "/zones", times: 4 });
    const started = Date.now();
    const d = start(w.env({ DDNS_RECORDS: "flaky.example.com", DDNS_IP_VERSIONS: "4", DDNS_POLL_INTERVAL: "5m" }));
    await d.waitForLine("INFO Created A record flaky.example.com → 203.0.113.71", 40_000);
    // 1 s + 2 s + 4 s + 8 s, each ±20 %, plus start-up: the old 5 s base took ~80 s.
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(d.lines.filter((l) => l.includes("Could not")).map((l) => l.replace(/^.*(next attempt in \S+).*$/, "$1"))).toEqual([
      "next attempt in 1s",
      "next attempt in 2s",
      expect.stringMatching(/^next attempt in [345]s$/),
      expect.stringMatching(/^next attempt in (6|7|8|9|10)s$/),
    ]);
    expect(d.lines).toContain("INFO A record flaky.example.com recovered");
  });

  it("a retry that falls due while the address cannot be detected waits for the next poll instead of spinning", async () => {
    w.ip.set({ v4: "203.0.113.72" });
    w.cf.faults.add({ kind: "status", status: 503, path: "/zones", times: 1 });
    const d = start(w.env({ DDNS_RECORDS: "spin.example.com", DDNS_IP_VERSIONS: "4", DDNS_POLL_INTERVAL: "2s" }));
    const line = await d.waitForLine(/next attempt in \d+(\.\d+)?s/);
    w.ip.set({ v4: "garbage" }); // the retry falls due and finds no address to give the record
    await Bun.sleep(Number(/next attempt in (\d+(?:\.\d+)?)s/.exec(line)![1]) * 1000 + 500);
    const hits = w.ip.hits();
    await Bun.sleep(3_000);
    // One detection per 2 s poll; a retry time left in the past made the loop ask the endpoint without pause.
    expect(w.ip.hits() - hits).toBeLessThanOrEqual(3);
    w.ip.set({ v4: "203.0.113.72" });
    await d.waitForLine("INFO Created A record spin.example.com → 203.0.113.72", 10_000);
  });
});

describe("dist/ddnsd says each distinct failure once", () => {
  it("a wrong token with 2 names × 2 families is one line per round, naming every record, with the next attempt", async () => {
    const d = start(w.env({ DDNS_RECORDS: "a.example.com,b.example.com", DDNS_PROVIDER_API_TOKEN: WRONG, DDNS_POLL_INTERVAL: "1s" }));
    await d.waitForLine("Could not update");
    await Bun.sleep(2_500); // two more poll rounds: the records wait for their retry, nothing is repeated
    // 30 s spread by up to a fifth either way (the daemon's own random draw).
    const line = `ERROR Could not update ${FOUR}: ${REFUSED}; next attempt in SECONDSs kind=auth attempt=1`;
    const pattern = new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace("SECONDS", "(2[4-9]|3[0-6])")}$`);
    expect(d.lines.filter((l) => l.includes("Could not") || l.includes("Invalid access token"))).toEqual([expect.stringMatching(pattern)]);
  });

  it("once promises no next attempt", async () => {
    const r = await runBinary(["once"], w.env({ DDNS_RECORDS: "a.example.com,b.example.com", DDNS_PROVIDER_API_TOKEN: WRONG }));
    expect(r.code).toBe(2);
    expect(r.lines.filter((l) => l.includes("Could not") || l.includes("Invalid access token"))).toEqual([`ERROR Could not update ${FOUR}: ${REFUSED} kind=auth attempt=1`]);
    expect(r.lines).toContain("WARN Not every record could be confirmed: a.example.com A, b.example.com A, a.example.com AAAA, b.example.com AAAA failing");
  });

  it("a dry run says what it could not check, not that an update failed", async () => {
    const r = await runBinary(["once", "--dry-run"], w.env({ DDNS_RECORDS: "a.example.com,b.example.com", DDNS_PROVIDER_API_TOKEN: WRONG }));
    expect(r.code).toBe(2);
    expect(r.lines.filter((l) => l.includes("Could not update"))).toEqual([]);
    expect(r.lines).toContain(`ERROR Dry run: could not check whether ${FOUR} need to be set: ${REFUSED} kind=auth attempt=1`);
  });

  it("once says when it tries a transient failure again", async () => {
    w.cf.faults.add({ kind: "status", status: 503, path: "/zones", times: 1 });
    const r = await runBinary(["once"], w.env({ DDNS_RECORDS: "again.example.com", DDNS_IP_VERSIONS: "4" }));
    expect(r.code).toBe(0);
    expect(r.lines).toContain("INFO Trying the failed record again in 1s");
    await until(() => w.cf.contents("again.example.com", "A"), (c) => c.length === 1);
  });
});
