import { afterEach, describe, expect, it } from "bun:test";
import * as fsp from "node:fs/promises";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHistoryFile, historyPathFor } from "../../src/state/history-file.ts";
import { createFileStore } from "../../src/state/file-store.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import type { HistoryEntry } from "../../src/state/history-types.ts";

const FIXTURES = join(import.meta.dir, "fixtures");
const NOW = Date.parse("2025-01-02T05:00:00.000Z");
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup() {
  const dir = mkdtempSync(join(tmpdir(), "ddnsd-history-"));
  dirs.push(dir);
  const log = createMemoryLogger();
  const state = join(dir, "state.json");
  const path = historyPathFor(state);
  return { dir, log, state, path, h: createHistoryFile({ path, fs: fsp, log, now: () => NOW }) };
}

const address: HistoryEntry = { at: NOW - 2000, kind: "address", family: 4, from: null, to: "203.0.113.7", source: "http https://ip.example/trace" };
const update: HistoryEntry = { at: NOW - 1000, kind: "record", target: "cloudflare", name: "home.example.com", type: "A", from: null, to: "203.0.113.7", result: "created", error: null };

describe("the history file", () => {
  it.each([
    { name: "a .json state file", state: "/var/lib/ddnsd/state.json", history: "/var/lib/ddnsd/state.history.json" },
    { name: "a name without .json", state: "/data/ddnsd-state", history: "/data/ddnsd-state.history.json" },
    { name: "a relative name", state: "state.json", history: "state.history.json" },
    { name: "a file called .json", state: "/data/.json", history: "/data/.json.history.json" },
  ])("lives beside the state file: $name", ({ state, history }) => {
    expect(historyPathFor(state)).toBe(history);
  });

  it("round-trips the entries, newest first, with a format version", async () => {
    const { h, path, dir } = setup();
    await h.save([update, address]);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ version: 1, entries: [update, address] });
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
    expect(await h.load()).toEqual([update, address]);
  });

  it("reads the version 1 fixture, every kind of entry in it", async () => {
    const { h, path } = setup();
    copyFileSync(join(FIXTURES, "history-v1.json"), path);
    const entries = await h.load();
    expect(entries).toEqual(JSON.parse(readFileSync(join(FIXTURES, "history-v1.json"), "utf8")).entries);
    expect(entries.map((e) => e.kind)).toEqual(["record", "record", "record", "address", "address"]);
  });

  it("leaves an old state file (format 1, no history file) as the state store reads it: the records load, the history starts empty", async () => {
    const { h, log, state } = setup();
    copyFileSync(join(FIXTURES, "state-v1.json"), state);
    const records = await createFileStore({ path: state, fs: fsp, log, now: () => Date.parse("2026-01-01T00:00:00.000Z"), targets: ["cloudflare"] }).load();
    expect([...records.keys()]).toEqual(["cloudflare/home.example.com/A", "cloudflare/home.example.com/AAAA", "cloudflare/www.example.com/A"]);
    expect(await h.load()).toEqual([]);
    expect(log.lines).toEqual([]);
  });

  it("removes temporary files an interrupted write left behind", async () => {
    const { h, path, dir } = setup();
    writeFileSync(`${path}.tmp-1700000000000-abc123`, '{"version":1,"entr');
    expect(await h.load()).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    { name: "not JSON", body: "{garbage", reason: "not JSON: " },
    { name: "a newer version", body: '{"version":2,"entries":[]}', reason: "Invalid type: Expected 1 but received 2 at version" },
    { name: "an unknown kind", body: `{"version":1,"entries":[{"at":1,"kind":"reboot"}]}`, reason: 'at entries.0.kind' },
    { name: "an address of the wrong family", body: `{"version":1,"entries":[{"at":1,"kind":"address","family":4,"from":null,"to":"2001:db8::1","source":null}]}`, reason: 'Invalid address: expected an IPv4 address but received "2001:db8::1" at entries.0.to' },
    { name: "a time in the future", body: `{"version":1,"entries":[{"at":${NOW + 86_400_000},"kind":"address","family":4,"from":null,"to":"203.0.113.1","source":null}]}`, reason: "is in the future (is the system clock right?) at entries.0.at" },
    { name: "an error with CR LF", body: `{"version":1,"entries":[{"at":1,"kind":"record","target":"cloudflare","name":"home.example.com","type":"A","from":null,"to":"203.0.113.1","result":"failed","error":"x\\r\\nINFO Forged"}]}`, reason: 'Invalid text: expected one line without control characters but received "x\\r\\nINFO Forged" at entries.0.error' },
    { name: "a record without its target", body: `{"version":1,"entries":[{"at":1,"kind":"record","name":"home.example.com","type":"A","from":null,"to":"203.0.113.1","result":"created","error":null}]}`, reason: "at entries.0.target" },
    { name: "a bad record name", body: `{"version":1,"entries":[{"at":1,"kind":"record","target":"cloudflare","name":"<script>","type":"A","from":null,"to":"203.0.113.1","result":"created","error":null}]}`, reason: "Invalid name: " },
  ])("moves a file with $name aside, says so once, and starts a new history", async ({ body, reason }) => {
    const { h, log, path, dir } = setup();
    writeFileSync(path, body);
    expect(await h.load()).toEqual([]);
    const aside = `${path}.corrupt-${NOW}`;
    expect(existsSync(aside)).toBe(true);
    expect(readdirSync(dir)).toEqual(["state.history.json.corrupt-" + NOW]);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toStartWith(`WARN History file ${JSON.stringify(path)} is not valid (`);
    expect(log.lines[0]).toContain(reason);
    expect(log.lines[0]).toEndWith(`); moved it to ${JSON.stringify(aside)} and started a new history`);
  });
});
