import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertNoSecretLeaked, fetchChecked, spawnDaemon, type Daemon } from "./harness.ts";
import { freePort, startWorld, until, type TestWorld } from "./world.ts";
import { readPage } from "../http/page-dom.ts";

/** `/status`'s history and the status page against dist/ddnsd: with the file store, the history survives restarts. */
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

type Event = { at: string; kind: string; name?: string; family?: string; from: string | null; to: string; result?: string };

async function start(name: string, statePath: string) {
  const port = await freePort();
  const d = spawnDaemon([], w.env({ DDNS_RECORDS: name, DDNS_IP_VERSIONS: "4", DDNS_POLL_INTERVAL: "1h", DDNS_HTTP_ADDR: `127.0.0.1:${port}`, DDNS_STATE_STORE_TYPE: "file", DDNS_STATE_STORE_PATH: statePath }));
  running.push(d);
  await d.waitForLine("INFO Ready to monitor IP changes");
  const history = async () => (JSON.parse((await fetchChecked(`http://127.0.0.1:${port}/status`)).body) as { history: Event[] }).history;
  const page = async () => readPage((await fetchChecked(`http://127.0.0.1:${port}/`)).body);
  const ready = () => until(() => fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status), (code) => code === 200, 10_000, "readiness");
  const stop = async () => {
    d.kill("SIGTERM");
    expect(await d.exited()).toBe(0);
  };
  return { d, history, page, ready, stop };
}

const brief = (e: Event) => [e.kind, e.name ?? e.family, e.from, e.to, e.result ?? null];

describe("dist/ddnsd keeps its history in the file store", () => {
  it("across restarts: an unchanged address adds nothing, a change adds the change and the update, newest first", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ddnsd-history-bb-"));
    dirs.push(dir);
    const statePath = join(dir, "state.json");
    w.ip.set({ v4: "203.0.113.80" });

    const first = await start("hist.example.com", statePath);
    await first.d.waitForLine("INFO Created A record hist.example.com → 203.0.113.80");
    const created = await until(first.history, (h) => h.length === 2, 5000, "two events");
    expect(created.map(brief)).toEqual([
      ["record", "hist.example.com", null, "203.0.113.80", "created"],
      ["address", "ipv4", null, "203.0.113.80", null],
    ]);
    await first.stop();
    const file = JSON.parse(readFileSync(statePath, "utf8")) as { version: number; records: unknown[]; history: unknown[] };
    expect({ version: file.version, records: file.records.length, history: file.history.length }).toEqual({ version: 3, records: 1, history: 2 });

    const second = await start("hist.example.com", statePath);
    await second.ready();
    expect(await second.history()).toEqual(created);
    w.ip.set({ v4: "203.0.113.81" });
    second.d.kill("SIGHUP");
    await second.d.waitForLine("INFO Updated A record hist.example.com: 203.0.113.80 → 203.0.113.81");
    const changed = await until(second.history, (h) => h.length === 4, 5000, "four events");
    await second.stop();

    const third = await start("hist.example.com", statePath);
    await third.ready();
    const afterRestart = await third.history();
    expect(afterRestart).toEqual(changed);
    expect(afterRestart.map(brief)).toEqual([
      ["record", "hist.example.com", "203.0.113.80", "203.0.113.81", "updated"],
      ["address", "ipv4", "203.0.113.80", "203.0.113.81", null],
      ...created.map(brief),
    ]);
    expect(Date.parse(afterRestart[1]!.at)).toBeGreaterThan(Date.parse(created[0]!.at));
    const page = await third.page();
    expect(page.history.map((e) => e.datetime)).toEqual(afterRestart.map((e) => e.at));
    expect(page.history[0]!.text).toEndWith("A record hist.example.com updated: 203.0.113.80 → 203.0.113.81");
    await third.stop();
  });

  it("with the memory store the history is kept in memory: /status shows it all the same", async () => {
    const port = await freePort();
    w.ip.set({ v4: "203.0.113.82" });
    const d = spawnDaemon([], w.env({ DDNS_RECORDS: "mem.example.com", DDNS_IP_VERSIONS: "4", DDNS_POLL_INTERVAL: "1h", DDNS_HTTP_ADDR: `127.0.0.1:${port}` }));
    running.push(d);
    await d.waitForLine("INFO Created A record mem.example.com → 203.0.113.82");
    const history = (JSON.parse((await fetchChecked(`http://127.0.0.1:${port}/status`)).body) as { history: Event[] }).history;
    expect(history.map(brief)).toEqual([
      ["record", "mem.example.com", null, "203.0.113.82", "created"],
      ["address", "ipv4", null, "203.0.113.82", null],
    ]);
  });
});
