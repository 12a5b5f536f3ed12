import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, setDefaultTimeout } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertNoSecretLeaked, fetchChecked, runBinary, spawnDaemon, type Daemon } from "./harness.ts";
import { freePort, startWorld, until, type TestWorld } from "./world.ts";
import { startIpEcho, type IpEchoServer } from "../fakes/ip-echo.ts";

/**
 * Ownership by comment, seen from outside: dist/ddnsd against the Cloudflare fake with DDNS_RECORD_COMMENT and
 * DDNS_MANAGED_RECORDS_COMMENT_REGEX. Two daemons (`ddnsd:a`, `ddnsd:b`) publish two addresses on one name (multi-WAN)
 * and never write each other's record; a record made by hand, without the comment, is never touched.
 */
setDefaultTimeout(60_000);
let w: TestWorld;
let siteB: IpEchoServer;
const running: Daemon[] = [];
beforeAll(async () => {
  w = await startWorld({ zones: ["example.com"], v4: "203.0.113.7" });
  siteB = startIpEcho({ v4: "198.51.100.8" });
});
beforeEach(() => {
  for (const r of w.cf.records()) w.cf.remove(r.id);
  w.ip.set({ v4: "203.0.113.7" });
  w.cf.faults.clear();
  siteB.set({ v4: "198.51.100.8" });
});
afterEach(() => running.splice(0).forEach((d) => d.kill("SIGKILL")));
const dir = mkdtempSync(join(tmpdir(), "ddnsd-ownership-"));
afterAll(async () => {
  await Promise.all([w.stop(), siteB.stop()]);
  rmSync(dir, { recursive: true, force: true });
  assertNoSecretLeaked();
});

/** Daemon `id`'s environment: its own comment and regex; site b asks its own echo for its address. */
const env = (id: "a" | "b", extra: Record<string, string> = {}) =>
  w.env({
    DDNS_IP_VERSIONS: "4",
    DDNS_RECORD_COMMENT: `ddnsd:${id}`,
    DDNS_MANAGED_RECORDS_COMMENT_REGEX: `^ddnsd:${id}$`,
    DDNS_VERIFY_INTERVAL: "1s",
    ...(id === "b" ? { DDNS_IP_SOURCE_URLS_V4: `${siteB.url}/v4` } : {}),
    ...extra,
  });
const holds = () =>
  w.cf
    .records({ name: "home.example.com", type: "A" })
    .map((r) => ({ id: r.id, content: r.content, comment: r.comment, modified: r.modified_on }))
    .sort((x, y) => x.content.localeCompare(y.content));
const contents = () => holds().map((r) => `${r.content} ${r.comment ?? "(no comment)"}`);
const writes = () => w.cf.requests().filter((r) => r.method !== "GET");
const handMade = () => w.cf.seed({ name: "home.example.com", type: "A", content: "192.0.2.50", comment: null });

describe("two daemons on one name, each with its own comment and regex", () => {
  it("the name holds both addresses; over many rounds neither writes again, and the hand-made record stays as it was", async () => {
    const hand = handMade();
    const a = spawnDaemon(["run"], env("a"), [w.token]);
    running.push(a, spawnDaemon(["run"], env("b"), [w.token]));
    await until(contents, (c) => c.length === 3, 15_000, "both records");
    const LEFT = "INFO Leaving alone 2 record(s) beside the A record home.example.com (192.0.2.50, 198.51.100.8): their comment does not match DDNS_MANAGED_RECORDS_COMMENT_REGEX, so they are not this daemon's";
    await a.waitForLine(LEFT);
    const leftLines = () => a.lines.filter((l) => l.includes("Leaving alone")).length;
    const leftBefore = leftLines();
    expect(contents()).toEqual(["192.0.2.50 (no comment)", "198.51.100.8 ddnsd:b", "203.0.113.7 ddnsd:a"]);
    const settled = holds();
    const writesBefore = writes().length;
    const readsBefore = w.cf.requests().length;
    // Several poll and verify rounds of both daemons (1 s each): every one re-reads the records.
    await until(() => w.cf.requests().length, (n) => n >= readsBefore + 8, 20_000, "re-reads of both daemons");
    expect(holds()).toEqual(settled);
    expect(writes().length).toBe(writesBefore);
    // Said when it changes, not every round.
    expect(leftLines()).toBe(leftBefore);
    expect(holds().find((r) => r.id === hand.id)).toEqual({ id: hand.id, content: "192.0.2.50", comment: null, modified: hand.modified_on });
  });

  it("a new address at site a changes a's record only: b's record and the hand-made one keep their id and content", async () => {
    handMade();
    running.push(spawnDaemon(["run"], env("a"), [w.token]), spawnDaemon(["run"], env("b"), [w.token]));
    await until(contents, (c) => c.length === 3, 15_000, "both records");
    const before = holds();
    w.ip.set({ v4: "203.0.113.99" });
    await until(contents, (c) => c.includes("203.0.113.99 ddnsd:a"), 15_000, "a's new address");
    const after = holds();
    expect(contents()).toEqual(["192.0.2.50 (no comment)", "198.51.100.8 ddnsd:b", "203.0.113.99 ddnsd:a"]);
    for (const other of ["192.0.2.50", "198.51.100.8"]) expect(after.find((r) => r.content === other)).toEqual(before.find((r) => r.content === other)!);
    expect(after.find((r) => r.comment === "ddnsd:a")!.id).toBe(before.find((r) => r.comment === "ddnsd:a")!.id);
    const touched = new Set(writes().flatMap((r) => /\/dns_records\/([^/]+)$/.exec(r.path)?.[1] ?? []));
    expect(touched.has(before.find((r) => r.comment === "ddnsd:b")!.id)).toBe(false);
  });
});

describe("one daemon with DDNS_MANAGED_RECORDS_COMMENT_REGEX", () => {
  it("/status lists the records it leaves alone beside its own", async () => {
    handMade();
    const port = await freePort();
    const d = spawnDaemon(["run"], env("a", { DDNS_HTTP_ADDR: `127.0.0.1:${port}` }), [w.token]);
    running.push(d);
    await d.waitForLine("INFO Created A record home.example.com → 203.0.113.7");
    const status = JSON.parse((await fetchChecked(`http://127.0.0.1:${port}/status`)).body) as { records: Array<{ name: string; type: string; content: string; notOwned?: string[] }> };
    expect(status.records.map(({ name, type, content, notOwned }) => ({ name, type, content, notOwned }))).toEqual([{ name: "home.example.com", type: "A", content: "203.0.113.7", notOwned: ["192.0.2.50"] }]);
  });

  it("cleans duplicates among its own records only", async () => {
    handMade();
    w.cf.seed({ name: "home.example.com", type: "A", content: "198.51.100.1", comment: "ddnsd:a" });
    w.cf.seed({ name: "home.example.com", type: "A", content: "198.51.100.2", comment: "ddnsd:a" });
    const r = await runBinary(["once"], env("a"));
    expect(r.code).toBe(0);
    expect(contents()).toEqual(["192.0.2.50 (no comment)", "203.0.113.7 ddnsd:a"]);
  });

  it("with a regex that matches no record there, creates its own and leaves the others", async () => {
    handMade();
    w.cf.seed({ name: "home.example.com", type: "A", content: "198.51.100.3", comment: "other tool" });
    const r = await runBinary(["once"], env("a"));
    expect(r.code).toBe(0);
    expect(r.lines).toContain("INFO Created A record home.example.com → 203.0.113.7");
    expect(contents()).toEqual(["192.0.2.50 (no comment)", "198.51.100.3 other tool", "203.0.113.7 ddnsd:a"]);
  });

  it("without the regex, the same records are all its own: one is kept and the rest go as duplicates", async () => {
    handMade();
    w.cf.seed({ name: "home.example.com", type: "A", content: "198.51.100.3", comment: "other tool" });
    const r = await runBinary(["once"], w.env({ DDNS_IP_VERSIONS: "4" }));
    expect(r.code).toBe(0);
    expect(contents()).toHaveLength(1);
  });
});

describe("ddnsd check and the ownership settings", () => {
  it("prints both settings in the effective configuration", async () => {
    const r = await runBinary(["check"], env("a"));
    expect(r.code).toBe(0);
    expect(r.lines).toContain("DDNS_RECORD_COMMENT=ddnsd:a");
    expect(r.lines).toContain("DDNS_MANAGED_RECORDS_COMMENT_REGEX=^ddnsd:a$");
  });

  it("an invalid regex is a configuration error naming the variable", async () => {
    const r = await runBinary(["check"], env("a", { DDNS_MANAGED_RECORDS_COMMENT_REGEX: "^(ddnsd" }));
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: ["Configuration error: DDNS_MANAGED_RECORDS_COMMENT_REGEX is not a valid regular expression: missing ) (JavaScript RegExp syntax, e.g. ^ddnsd:home$)."] });
  });

  it("warns when the chosen provider stores no comments", async () => {
    const r = await runBinary(["check"], { DDNS_PROVIDER_TYPE: "digitalocean", DDNS_PROVIDER_API_TOKEN: w.token, DDNS_RECORDS: "home.example.com", DDNS_RECORD_COMMENT: "ddnsd:a" });
    expect(r.code).toBe(0);
    expect(r.lines.filter((l) => l.startsWith("warning: "))).toEqual(["warning: DDNS_RECORD_COMMENT has no effect with digitalocean (its records store no comment); ignored."]);
  });
});

describe("DDNS_DELETE_ON_STOP", () => {
  /** Starts daemon `id`, waits until its record is there, stops it with SIGTERM: its exit code and lines. */
  async function runAndStop(daemonEnv: Record<string, string | undefined>, present: string, args = ["run"]) {
    const d = spawnDaemon(args, daemonEnv, [w.token]);
    running.push(d);
    await until(contents, (c) => c.includes(present), 15_000, present);
    await d.waitForLine("Ready to monitor IP changes");
    d.kill("SIGTERM");
    return { code: await d.exited(15_000), lines: d.lines };
  }

  it("on SIGTERM deletes exactly this daemon's record: the other daemon's and the hand-made one stay, exit 0", async () => {
    handMade();
    running.push(spawnDaemon(["run"], env("b"), [w.token]));
    await until(contents, (c) => c.includes("198.51.100.8 ddnsd:b"), 15_000, "b's record");
    const { code, lines } = await runAndStop(env("a", { DDNS_DELETE_ON_STOP: "true" }), "203.0.113.7 ddnsd:a");
    expect(code).toBe(0);
    expect(lines).toContain("INFO Deleting the 1 record(s) this daemon manages (DDNS_DELETE_ON_STOP)");
    expect(lines).toContain("INFO Deleted A record home.example.com (203.0.113.7)");
    expect(lines).toContain("INFO Shutdown complete");
    expect(contents()).toEqual(["192.0.2.50 (no comment)", "198.51.100.8 ddnsd:b"]);
  });

  it("without the regex deletes only the record holding the address it published", async () => {
    const { code } = await runAndStop(w.env({ DDNS_IP_VERSIONS: "4", DDNS_DELETE_ON_STOP: "true" }), "203.0.113.7 (no comment)");
    expect(code).toBe(0);
    expect(contents()).toEqual([]);
  });

  it("a deletion the provider refuses is logged, the record stays, and the exit code stays 0", async () => {
    const d = spawnDaemon(["run"], env("a", { DDNS_DELETE_ON_STOP: "true" }), [w.token]);
    running.push(d);
    await until(contents, (c) => c.includes("203.0.113.7 ddnsd:a"), 15_000, "a's record");
    await d.waitForLine("Ready to monitor IP changes");
    w.cf.faults.add({ kind: "status", status: 403, method: "DELETE", path: "/zones/*/dns_records/*", times: 5 });
    d.kill("SIGTERM");
    expect(await d.exited(15_000)).toBe(0);
    expect(d.lines.filter((l) => l.includes("Could not delete"))).toHaveLength(1);
    expect(d.lines.find((l) => l.includes("Could not delete"))).toStartWith("ERROR Could not delete the A record home.example.com: while deleting the record, ");
    expect(contents()).toEqual(["203.0.113.7 ddnsd:a"]);
  });

  it("with a state file, a restart after the deletion publishes the record again at once", async () => {
    const state = { DDNS_STATE_STORE_TYPE: "file", DDNS_STATE_STORE_PATH: join(dir, "state.json"), DDNS_VERIFY_INTERVAL: "1h", DDNS_DELETE_ON_STOP: "true" };
    expect((await runAndStop(env("a", state), "203.0.113.7 ddnsd:a")).code).toBe(0);
    expect(contents()).toEqual([]);
    const r = await runBinary(["once"], env("a", state));
    expect(r.code).toBe(0);
    expect(contents()).toEqual(["203.0.113.7 ddnsd:a"]);
  });

  it("in a dry run says what it would delete and deletes nothing", async () => {
    w.cf.seed({ name: "home.example.com", type: "A", content: "203.0.113.7", comment: "ddnsd:a" });
    const { code, lines } = await runAndStop(env("a", { DDNS_DELETE_ON_STOP: "true" }), "203.0.113.7 ddnsd:a", ["run", "--dry-run"]);
    expect(code).toBe(0);
    expect(lines).toContain("INFO Would delete A record home.example.com (203.0.113.7)");
    expect(contents()).toEqual(["203.0.113.7 ddnsd:a"]);
  });

  it("is not done by `ddnsd once`, nor after a configuration error", async () => {
    expect((await runBinary(["once"], env("a", { DDNS_DELETE_ON_STOP: "true" }))).code).toBe(0);
    expect(contents()).toEqual(["203.0.113.7 ddnsd:a"]);
    const bad = await runBinary(["run"], env("a", { DDNS_DELETE_ON_STOP: "true", DDNS_MANAGED_RECORDS_COMMENT_REGEX: "^(" }));
    expect(bad.code).toBe(1);
    expect(contents()).toEqual(["203.0.113.7 ddnsd:a"]);
  });
});

describe("which records are managed and which were left alone, seen from outside", () => {
  type Status = { records: Array<{ name: string; notOwned?: string[]; leftAlone?: Array<{ address: string; why: string }>; managed: boolean }>; targets: unknown[] };
  const LEFT = [{ address: "192.0.2.50", why: "it has no comment, which DDNS_MANAGED_RECORDS_COMMENT_REGEX does not match" }, { address: "198.51.100.3", why: `comment "other tool" does not match DDNS_MANAGED_RECORDS_COMMENT_REGEX` }];

  it("/status says why each record was left alone, counts per target, and ddns_records_not_owned counts them", async () => {
    handMade();
    w.cf.seed({ name: "home.example.com", type: "A", content: "198.51.100.3", comment: "other tool" });
    const port = await freePort();
    const d = spawnDaemon(["run"], env("a", { DDNS_HTTP_ADDR: `127.0.0.1:${port}` }), [w.token]);
    running.push(d);
    await d.waitForLine("INFO Created A record home.example.com → 203.0.113.7");
    const status = JSON.parse((await fetchChecked(`http://127.0.0.1:${port}/status`)).body) as Status;
    expect(status.records).toMatchObject([{ name: "home.example.com", notOwned: ["192.0.2.50", "198.51.100.3"], leftAlone: LEFT, managed: true }]);
    expect(status.targets).toEqual([{ target: "cloudflare", managed: 1, notOwned: 2 }]);
    const metrics = (await fetchChecked(`http://127.0.0.1:${port}/metrics`)).body;
    expect(metrics.split("\n").filter((l) => l.startsWith("ddns_records_not_owned"))).toEqual(['ddns_records_not_owned{type="A"} 2']);
  });

  it("the state file keeps what was left alone: after a restart /status shows it before any read", async () => {
    handMade();
    w.cf.seed({ name: "home.example.com", type: "A", content: "198.51.100.3", comment: "other tool" });
    const state = { DDNS_STATE_STORE_TYPE: "file", DDNS_STATE_STORE_PATH: join(dir, "left-alone.json"), DDNS_VERIFY_INTERVAL: "1h" };
    expect((await runBinary(["once"], env("a", state))).code).toBe(0);
    const reads = w.cf.requests().length;
    const port = await freePort();
    const d = spawnDaemon(["run"], env("a", { ...state, DDNS_HTTP_ADDR: `127.0.0.1:${port}` }), [w.token]);
    running.push(d);
    await d.waitForLine("Ready to monitor IP changes");
    await until(async () => (JSON.parse((await fetchChecked(`http://127.0.0.1:${port}/status`)).body) as { rounds: number }).rounds, (n) => n >= 1, 10_000, "the first round");
    const status = JSON.parse((await fetchChecked(`http://127.0.0.1:${port}/status`)).body) as Status;
    expect(w.cf.requests().length).toBe(reads);
    expect(status.records).toMatchObject([{ name: "home.example.com", notOwned: ["192.0.2.50", "198.51.100.3"], leftAlone: LEFT }]);
  });
});
