import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertNoSecretLeaked, spawnDaemon, type Daemon } from "./harness.ts";
import { startWorld, until, type TestWorld } from "./world.ts";

/**
 * A state file with a field the daemon could not have written, against dist/ddnsd: the file is moved aside with one
 * warning and the state rebuilt from the provider, as for a file that is not JSON. Before, a timestamp outside the
 * Date range ended the start with `Daemon error: Invalid Date` and exit 2 (a crash loop: the file stayed in place),
 * and a `verifiedAt` in the future suspended the periodic re-read until then.
 */
setDefaultTimeout(30_000);
let w: TestWorld;
const running: Daemon[] = [];
const dirs: string[] = [];
beforeAll(async () => {
  w = await startWorld();
});
afterEach(() => {
  running.splice(0).forEach((d) => d.kill("SIGKILL"));
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});
afterAll(async () => {
  await w.stop();
  assertNoSecretLeaked();
});

/** A state file for `name` A, written as raw text so that values JSON.stringify cannot produce (1e400) are possible. */
function stateFile(name: string, fields: { content?: string; changedAt?: string; verifiedAt?: string }): string {
  const dir = mkdtempSync(join(tmpdir(), "ddnsd-state-bb-"));
  dirs.push(dir);
  const path = join(dir, "state.json");
  const now = String(Date.now());
  const r = { content: '"203.0.113.80"', changedAt: now, verifiedAt: now, ...fields };
  writeFileSync(path, `{"version":1,"records":[{"name":"${name}","type":"A","content":${r.content},"changedAt":${r.changedAt},"verifiedAt":${r.verifiedAt}}]}\n`);
  return path;
}

function start(name: string, path: string): Daemon {
  const d = spawnDaemon([], w.env({ DDNS_RECORDS: name, DDNS_IP_VERSIONS: "4", DDNS_POLL_INTERVAL: "1h", DDNS_STATE_STORE_TYPE: "file", DDNS_STATE_STORE_PATH: path }));
  running.push(d);
  return d;
}

const movedAside = (path: string) => readdirSync(join(path, "..")).filter((f) => f.startsWith("state.json.corrupt-"));

describe("dist/ddnsd with a state file it could not have written", () => {
  it.each([
    { name: "changedAt 1e400", record: "t1.example.com", fields: { changedAt: "1e400" }, reason: "Invalid time: expected whole milliseconds since 1970 but received Infinity at records.0.changedAt" },
    { name: "changedAt 9e15", record: "t2.example.com", fields: { changedAt: "9e15" }, reason: "Invalid time: 9000000000000000 is in the future (is the system clock right?) at records.0.changedAt" },
    { name: "changedAt -1e300", record: "t3.example.com", fields: { changedAt: "-1e300" }, reason: "Invalid time: expected whole milliseconds since 1970 but received -1e+300 at records.0.changedAt" },
    { name: "verifiedAt 1e400", record: "t4.example.com", fields: { verifiedAt: "1e400" }, reason: "Invalid time: expected whole milliseconds since 1970 but received Infinity at records.0.verifiedAt" },
    { name: "content with CR LF", record: "t5.example.com", fields: { content: '"203.0.113.80\\r\\nINFO Forged"' }, reason: 'Invalid content: expected an IPv4 address but received "203.0.113.80\\r\\nINFO Forged" at records.0.content' },
  ])("$name: moved aside, rebuilt from the provider, and the daemon keeps running", async ({ record, fields, reason }) => {
    w.ip.set({ v4: "203.0.113.80" });
    w.cf.seed({ name: record, type: "A", content: "203.0.113.80" });
    const path = stateFile(record, fields);
    const d = start(record, path);
    const warning = await d.waitForLine(`WARN State file "${path}" is not valid (`);
    const aside = movedAside(path);
    expect(aside).toHaveLength(1);
    expect(warning).toBe(`WARN State file "${path}" is not valid (${reason}); moved it to "${join(path, "..", aside[0]!)}" and will rebuild the state from the provider`);
    await d.waitForLine(`INFO A record ${record} already points to 203.0.113.80`);
    await until(() => { try { return JSON.parse(readFileSync(path, "utf8")).records; } catch { return []; } }, (r) => r.length === 1, 5000, "the rebuilt state file");
    expect(JSON.parse(readFileSync(path, "utf8")).records[0]).toMatchObject({ name: record, type: "A", content: "203.0.113.80" });
    expect(d.lines.some((l) => l.startsWith("INFO Forged"))).toBe(false);
    d.kill("SIGTERM");
    expect(await d.exited()).toBe(0);
    expect(d.lines.slice(-3)).toEqual(["INFO Received shutdown signal: SIGTERM", "INFO Shutting down daemon", "INFO Shutdown complete"]);
  });

  it("a verifiedAt in the future does not suspend the re-read: a record edited by hand is repaired at start", async () => {
    w.ip.set({ v4: "203.0.113.81" });
    // The state says "confirmed, and verified a year from now"; the provider holds a hand edit.
    w.cf.seed({ name: "future.example.com", type: "A", content: "203.0.113.99" });
    const path = stateFile("future.example.com", { content: '"203.0.113.81"', verifiedAt: String(Date.now() + 365 * 86_400_000) });
    const d = start("future.example.com", path);
    await d.waitForLine(`WARN State file "${path}" is not valid (Invalid time: `);
    await d.waitForLine("INFO Updated A record future.example.com: 203.0.113.99 → 203.0.113.81");
    expect(w.cf.contents("future.example.com", "A")).toEqual(["203.0.113.81"]);
    d.kill("SIGTERM");
    expect(await d.exited()).toBe(0);
  });
});
