import { afterEach, describe, expect, it } from "bun:test";
import * as fsp from "node:fs/promises";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFileStore } from "../../src/state/file-store.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import type { HistoryEntry } from "../../src/state/history-types.ts";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function store(path?: string) {
  const dir = mkdtempSync(join(tmpdir(), "ddnsd-state-"));
  dirs.push(dir);
  const log = createMemoryLogger();
  const file = path ?? join(dir, "sub", "state.json");
  return { s: createFileStore({ path: file, fs: fsp, log, now: () => 42, targets: ["cloudflare"] }), log, file, dir };
}

const rec = { target: "cloudflare", name: "home.example.com", type: "A" as const, content: "203.0.113.1", changedAt: 1, verifiedAt: 2 };

describe("file state store", () => {
  it("round-trips records through an atomic write with a format version", async () => {
    const { s, file } = store();
    await s.save(new Map([["cloudflare/home.example.com/A", rec]]));
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ version: 3, records: [rec], history: [] });
    expect(readdirSync(join(file, "..")).filter((f) => f.includes(".tmp-"))).toEqual([]);
    expect([...(await s.load()).values()]).toEqual([rec]);
  });

  it("starts empty when the file does not exist yet", async () => {
    const { s, log, file } = store();
    expect((await s.load()).size).toBe(0);
    expect(log.lines).toEqual([`INFO State file "${file}" does not exist yet; it will be created after the first update`]);
  });

  it.each([
    { name: "not JSON", body: "{garbage", reason: "not JSON" },
    { name: "wrong version", body: '{"version":9,"records":[]}', reason: "Invalid type" },
    { name: "format 2 without a target", body: '{"version":2,"records":[{"name":"home.example.com","type":"A","content":"1.2.3.4","changedAt":1,"verifiedAt":1}]}', reason: "records.0.target" },
    { name: "format 2 with a target no configuration could name", body: '{"version":2,"records":[{"target":"Home Net","name":"home.example.com","type":"A","content":"1.2.3.4","changedAt":1,"verifiedAt":1}]}', reason: 'Invalid target: expected a target id such as "cloudflare" but received "Home Net" at records.0.target' },
    { name: "bad record", body: '{"version":1,"records":[{"name":"home.example.com","type":"MX","content":"1.2.3.4","changedAt":1,"verifiedAt":1}]}', reason: "records.0.type" },
    { name: "empty file", body: "", reason: "not JSON" },
  ])("moves a corrupt file aside and starts empty: $name", async ({ body, reason }) => {
    const { s, log, dir } = store();
    const file = join(dir, "state.json");
    writeFileSync(file, body);
    const s2 = createFileStore({ path: file, fs: fsp, log, now: () => 42, targets: ["cloudflare"] });
    expect((await s2.load()).size).toBe(0);
    expect(readdirSync(dir)).toContain("state.json.corrupt-42");
    expect(log.lines[0]).toContain(`WARN State file "${file}" is not valid (`);
    expect(log.lines[0]).toContain(reason);
    expect(log.lines[0]).toContain(`moved it to "${file}.corrupt-42" and will rebuild the state from the provider`);
    void s;
  });

  /** A file the daemon could not have written: each field checked as strictly as it is written (now = 10^12 ms). */
  const NOW = 1_000_000_000_000;
  type Fields = { name?: string; type?: string; content?: string; changedAt?: string; verifiedAt?: string };
  const fileWith = (fields: Fields) => {
    const r = { name: '"home.example.com"', type: '"A"', content: '"203.0.113.1"', changedAt: "1", verifiedAt: "2", ...fields };
    return `{"version":1,"records":[{"name":${r.name},"type":${r.type},"content":${r.content},"changedAt":${r.changedAt},"verifiedAt":${r.verifiedAt}}]}`;
  };
  it.each([
    { name: "changedAt beyond any number (1e400)", fields: { changedAt: "1e400" }, reason: "Invalid time: expected whole milliseconds since 1970 but received Infinity at records.0.changedAt" },
    { name: "changedAt beyond the Date range (9e15)", fields: { changedAt: "9e15" }, reason: "Invalid time: 9000000000000000 is in the future (is the system clock right?) at records.0.changedAt" },
    { name: "changedAt far before 1970 (-1e300)", fields: { changedAt: "-1e300" }, reason: "Invalid time: expected whole milliseconds since 1970 but received -1e+300 at records.0.changedAt" },
    { name: "changedAt before 1970 (-1)", fields: { changedAt: "-1" }, reason: "received -1 at records.0.changedAt" },
    { name: "changedAt not whole milliseconds", fields: { changedAt: "1.5" }, reason: "received 1.5 at records.0.changedAt" },
    { name: "changedAt a string", fields: { changedAt: '"1"' }, reason: "at records.0.changedAt" },
    { name: "verifiedAt in the future", fields: { verifiedAt: String(NOW + 6 * 60_000) }, reason: `Invalid time: ${NOW + 6 * 60_000} is in the future (is the system clock right?) at records.0.verifiedAt` },
    { name: "verifiedAt beyond the Date range", fields: { verifiedAt: "8.64e15" }, reason: "is in the future (is the system clock right?) at records.0.verifiedAt" },
    { name: "content with CR LF", fields: { content: '"203.0.113.1\\r\\nINFO forged"' }, reason: 'Invalid content: expected an IPv4 address but received "203.0.113.1\\r\\nINFO forged" at records.0.content' },
    { name: "content of the other family", fields: { content: '"2001:db8::1"' }, reason: 'Invalid content: expected an IPv4 address but received "2001:db8::1" at records.0.content' },
    { name: "content not in canonical form", fields: { type: '"AAAA"', content: '"2001:DB8:0::1"' }, reason: 'Invalid content: expected an IPv6 address but received "2001:DB8:0::1" at records.0.content' },
    { name: "content not an address", fields: { content: '"home"' }, reason: 'received "home" at records.0.content' },
    { name: "name not a record name", fields: { name: '"bad name.example.com"' }, reason: 'Invalid name: expected a record name such as "home.example.com" but received "bad name.example.com" at records.0.name' },
    { name: "name not normalised", fields: { name: '"Home.Example.com."' }, reason: 'received "Home.Example.com." at records.0.name' },
  ])("moves aside a file with $name", async ({ fields, reason }) => {
    const { dir } = store();
    const file = join(dir, "state.json");
    writeFileSync(file, fileWith(fields));
    const log = createMemoryLogger();
    const s = createFileStore({ path: file, fs: fsp, log, now: () => NOW, targets: ["cloudflare"] });
    expect((await s.load()).size).toBe(0);
    expect(readdirSync(dir)).toContain(`state.json.corrupt-${NOW}`);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toStartWith(`WARN State file "${file}" is not valid (`);
    expect(log.lines[0]).toContain(`${reason}); moved it to "${file}.corrupt-${NOW}" and will rebuild the state from the provider`);
  });

  it.each([
    { name: "times of the first millisecond", fields: { changedAt: "0", verifiedAt: "0" } },
    { name: "a time now", fields: { changedAt: String(NOW), verifiedAt: String(NOW) } },
    { name: "a time within the clock skew", fields: { verifiedAt: String(NOW + 4 * 60_000) } },
    { name: "an IPv6 record in canonical form", fields: { type: '"AAAA"', content: '"2001:db8::1"' } },
    { name: "a wildcard name", fields: { name: '"*.example.com"' } },
  ])("keeps a valid file: $name", async ({ fields }) => {
    const { dir } = store();
    const file = join(dir, "state.json");
    writeFileSync(file, fileWith(fields));
    const log = createMemoryLogger();
    expect((await createFileStore({ path: file, fs: fsp, log, now: () => NOW, targets: ["cloudflare"] }).load()).size).toBe(1);
    expect(log.lines).toEqual([]);
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });

  it("reports a failed save by throwing (the engine logs it and retries)", async () => {
    const { dir } = store();
    writeFileSync(join(dir, "blocker"), "file, not a folder");
    const s = createFileStore({ path: join(dir, "blocker", "state.json"), fs: fsp, log: createMemoryLogger(), now: () => 1, targets: ["cloudflare"] });
    expect(s.save(new Map([["k", rec]]))).rejects.toThrow();
  });

  /** Format 2 is checked field by field like format 1 (the same schema with `target` in front). */
  const fileV2With = (fields: Fields) => fileWith(fields).replace('{"version":1,"records":[{', '{"version":2,"records":[{"target":"home",');
  it.each([
    { name: "changedAt beyond the Date range (9e15)", fields: { changedAt: "9e15" }, reason: "Invalid time: 9000000000000000 is in the future (is the system clock right?) at records.0.changedAt" },
    { name: "content with CR LF", fields: { content: '"203.0.113.1\\r\\nINFO forged"' }, reason: 'Invalid content: expected an IPv4 address but received "203.0.113.1\\r\\nINFO forged" at records.0.content' },
    { name: "name not normalised", fields: { name: '"Home.Example.com."' }, reason: 'received "Home.Example.com." at records.0.name' },
  ])("moves aside a format 2 file with $name", async ({ fields, reason }) => {
    const { dir } = store();
    const file = join(dir, "state.json");
    writeFileSync(file, fileV2With(fields));
    const log = createMemoryLogger();
    expect((await createFileStore({ path: file, fs: fsp, log, now: () => NOW, targets: ["home", "lab"] }).load()).size).toBe(0);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toContain(`${reason}); moved it to "${file}.corrupt-${NOW}"`);
  });
});

describe("a state file of format 1 (written before targets)", () => {
  /** Written by the file store of format 1 (the daemon before targets), not by hand. */
  const V1_FILE = join(import.meta.dir, "fixtures", "state-v1.json");
  const V1_NOW = 1_767_225_600_000;
  const copy = () => {
    const { dir } = store();
    const file = join(dir, "state.json");
    copyFileSync(V1_FILE, file);
    return file;
  };

  it("belongs to the one target of the configuration, and is written back as format 3", async () => {
    const file = copy();
    const log = createMemoryLogger();
    const s = createFileStore({ path: file, fs: fsp, log, now: () => V1_NOW, targets: ["cloudflare"] });
    const loaded = await s.load();
    expect([...loaded.keys()]).toEqual(["cloudflare/home.example.com/A", "cloudflare/home.example.com/AAAA", "cloudflare/www.example.com/A"]);
    expect(loaded.get("cloudflare/www.example.com/A")).toEqual({ target: "cloudflare", name: "www.example.com", type: "A", content: "203.0.113.7", changedAt: 1_767_139_200_000, verifiedAt: V1_NOW });
    expect(log.lines).toEqual([]);
    await s.save(loaded);
    const written = JSON.parse(readFileSync(file, "utf8"));
    expect({ version: written.version, history: written.history }).toEqual({ version: 3, history: [] });
    expect(written.records.map((r: { target: string }) => r.target)).toEqual(["cloudflare", "cloudflare", "cloudflare"]);
    expect([...(await s.load()).values()]).toEqual([...loaded.values()]);
  });

  it("with several targets, is not used: one line says so, and the file is not moved aside", async () => {
    const file = copy();
    const log = createMemoryLogger();
    const loaded = await createFileStore({ path: file, fs: fsp, log, now: () => V1_NOW, targets: ["home", "lab"] }).load();
    expect(loaded.size).toBe(0);
    expect(log.lines).toEqual([
      `INFO State file "${file}" was written before ddnsd had targets and this configuration has 2: its 3 record(s) are not used; the state is rebuilt from the providers`,
    ]);
    expect(readdirSync(join(file, ".."))).toEqual(["state.json"]);
  });
});

describe("a state file of format 3 (with the history)", () => {
  const NOW = 1_767_225_600_000;
  const address: HistoryEntry = { at: NOW - 2000, kind: "address", family: 4, from: null, to: "203.0.113.7", source: "http https://ip.example/trace" };
  const update: HistoryEntry = { at: NOW - 1000, kind: "record", target: "cloudflare", name: "home.example.com", type: "A", from: "203.0.113.6, 203.0.113.5", to: "203.0.113.7", result: "updated", error: null };
  const failed: HistoryEntry = { at: NOW, kind: "record", target: "lab", name: "home.example.com", type: "AAAA", from: null, to: "2001:db8::7", result: "failed", error: "the provider answered 500" };
  const open = (file: string, log = createMemoryLogger()) => createFileStore({ path: file, fs: fsp, log, now: () => NOW, targets: ["cloudflare", "lab"] });

  it("round-trips the history, newest first, beside the records", async () => {
    const { file } = store();
    await open(file).save(new Map([["cloudflare/home.example.com/A", rec]]), [failed, update, address]);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ version: 3, records: [rec], history: [failed, update, address] });
    const again = open(file);
    expect([...(await again.load()).values()]).toEqual([rec]);
    expect(again.history()).toEqual([failed, update, address]);
  });

  it("keeps the history it read when a save brings none (the engine's save before a provider write)", async () => {
    const { file } = store();
    await open(file).save(new Map(), [update, address]);
    const s = open(file);
    await s.load();
    await s.save(new Map([["cloudflare/home.example.com/A", rec]]));
    expect(JSON.parse(readFileSync(file, "utf8")).history).toEqual([update, address]);
  });

  it("reads a format 2 file (the daemon's, before the history) with its targets and no history, and writes it back as format 3", async () => {
    const { dir } = store();
    const file = join(dir, "state.json");
    copyFileSync(join(import.meta.dir, "fixtures", "state-v2.json"), file);
    const log = createMemoryLogger();
    const s = open(file, log);
    const loaded = await s.load();
    expect([...loaded.keys()]).toEqual(["cloudflare/home.example.com/A", "lab/home.example.com/AAAA"]);
    expect({ history: s.history(), log: log.lines }).toEqual({ history: [], log: [] });
    await s.save(loaded, [address]);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ version: 3, history: [address] });
  });

  const v3 = (entry: string) => `{"version":3,"records":[],"history":[${entry}]}`;
  it.each([
    { name: "format 3 without its history", body: '{"version":3,"records":[]}', reason: "at history" },
    { name: "an unknown kind", body: v3('{"at":1,"kind":"reboot"}'), reason: 'Invalid type: Expected ("address" | "record") but received "reboot" at history.0.kind' },
    { name: "an address of the wrong family", body: v3('{"at":1,"kind":"address","family":4,"from":null,"to":"2001:db8::1","source":null}'), reason: 'Invalid address: expected an IPv4 address but received "2001:db8::1" at history.0.to' },
    { name: "a time in the future", body: v3(`{"at":${NOW + 86_400_000},"kind":"address","family":4,"from":null,"to":"203.0.113.1","source":null}`), reason: "is in the future (is the system clock right?) at history.0.at" },
    { name: "an error with CR LF", body: v3('{"at":1,"kind":"record","target":"lab","name":"home.example.com","type":"A","from":null,"to":"203.0.113.1","result":"failed","error":"x\\r\\nINFO Forged"}'), reason: 'Invalid text: expected one line without control characters but received "x\\r\\nINFO Forged" at history.0.error' },
    { name: "a record without its target", body: v3('{"at":1,"kind":"record","name":"home.example.com","type":"A","from":null,"to":"203.0.113.1","result":"created","error":null}'), reason: "at history.0.target" },
    { name: "a bad record name", body: v3('{"at":1,"kind":"record","target":"lab","name":"<script>","type":"A","from":null,"to":"203.0.113.1","result":"created","error":null}'), reason: "Invalid name: " },
  ])("moves a file with $name in its history aside, like any file the daemon could not have written", async ({ body, reason }) => {
    const { file } = store();
    await fsp.mkdir(join(file, ".."), { recursive: true });
    writeFileSync(file, body);
    const log = createMemoryLogger();
    const s = open(file, log);
    expect((await s.load()).size).toBe(0);
    expect(s.history()).toEqual([]);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toStartWith(`WARN State file ${JSON.stringify(file)} is not valid (`);
    expect(log.lines[0]).toContain(reason);
    expect(readdirSync(join(file, "..")).filter((f) => f.startsWith("state.json.corrupt-"))).toHaveLength(1);
  });
});
