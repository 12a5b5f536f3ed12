import { afterEach, describe, expect, it } from "bun:test";
import * as fsp from "node:fs/promises";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFileStore } from "../../src/state/file-store.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function store(path?: string) {
  const dir = mkdtempSync(join(tmpdir(), "ddnsd-state-"));
  dirs.push(dir);
  const log = createMemoryLogger();
  const file = path ?? join(dir, "sub", "state.json");
  return { s: createFileStore({ path: file, fs: fsp, log, now: () => 42 }), log, file, dir };
}

const rec = { name: "home.example.com", type: "A" as const, content: "203.0.113.1", changedAt: 1, verifiedAt: 2 };

describe("file state store", () => {
  it("round-trips records through an atomic write with a format version", async () => {
    const { s, file } = store();
    await s.save(new Map([["home.example.com/A", rec]]));
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ version: 1, records: [rec] });
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
    { name: "bad record", body: '{"version":1,"records":[{"name":"x","type":"MX","content":"1.2.3.4","changedAt":1,"verifiedAt":1}]}', reason: "records.0.type" },
    { name: "empty file", body: "", reason: "not JSON" },
  ])("moves a corrupt file aside and starts empty: $name", async ({ body, reason }) => {
    const { s, log, dir } = store();
    const file = join(dir, "state.json");
    writeFileSync(file, body);
    const s2 = createFileStore({ path: file, fs: fsp, log, now: () => 42 });
    expect((await s2.load()).size).toBe(0);
    expect(readdirSync(dir)).toContain("state.json.corrupt-42");
    expect(log.lines[0]).toContain(`WARN State file "${file}" is not valid (`);
    expect(log.lines[0]).toContain(reason);
    expect(log.lines[0]).toContain(`moved it to "${file}.corrupt-42" and will rebuild the state from the provider`);
    void s;
  });

  it("reports a failed save by throwing (the engine logs it and retries)", async () => {
    const { dir } = store();
    writeFileSync(join(dir, "blocker"), "file, not a folder");
    const s = createFileStore({ path: join(dir, "blocker", "state.json"), fs: fsp, log: createMemoryLogger(), now: () => 1 });
    expect(s.save(new Map([["k", rec]]))).rejects.toThrow();
  });
});
