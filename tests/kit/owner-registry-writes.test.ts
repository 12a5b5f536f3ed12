import { describe, expect, it } from "bun:test";
import { createRecordProvider, type RecordApi } from "../../src/providers/kit/record-provider.ts";
import { createZoneFinder, type Zone } from "../../src/providers/kit/zone-finder.ts";
import type { HeldRecord } from "../../src/providers/kit/record-plan.ts";
import type { RecordRequest } from "../../src/providers/kit/types.ts";

/** The record template with DDNS_OWNER_ID over an in-memory zone: what it reads and writes for the owner TXT. */
function service(opts: { txtFails?: boolean } = {}) {
  let seq = 0;
  const records: Array<HeldRecord & { name: string; type: string }> = [];
  const calls: string[] = [];
  const of = (name: string, type: string) => records.filter((r) => r.name === name && r.type === type).map(({ name: _n, type: _t, ...r }) => ({ ...r }));
  const add = (name: string, type: string, content: string) => {
    const r = { id: String(++seq), name, type, content };
    records.push(r);
    return r;
  };
  const api: RecordApi<Zone> = {
    service: "Testing",
    zoneFix: "add the domain",
    zones: createZoneFinder<Zone>({ lookup: async (c) => ({ ok: true, value: c === "example.com" ? { name: c } : undefined }), now: () => 0 }),
    list: async (_z, name, type) => (calls.push(`list ${name} ${type}`), { ok: true, value: of(name, type) }),
    listTxt: async (_z, name) => (calls.push(`list ${name} TXT`), { ok: true, value: of(name, "TXT") }),
    create: async (_z, record) => (calls.push(`create ${record.name} ${record.type} ${record.content}`), { ok: true, value: { ...add(record.name, record.type, record.content) } }),
    async createTxt(_z, name, text) {
      calls.push(`create ${name} TXT ${text}`);
      if (opts.txtFails) return { ok: false, problem: { kind: "transient", reason: "Testing answered HTTP 500" } };
      add(name, "TXT", text);
      return { ok: true, value: undefined };
    },
    update: async (_z, held, changes) => (calls.push(`update ${held.id} ${changes.content}`), void Object.assign(records.find((r) => r.id === held.id)!, changes), { ok: true, value: undefined }),
    remove: async (_z, held) => (calls.push(`remove ${held.id}`), records.splice(records.findIndex((r) => r.id === held.id), 1), { ok: true, value: undefined }),
  };
  return { records, calls, add, provider: createRecordProvider(api, { id: "testing", now: () => 0 }) };
}
const request = (content: string, ownerId = "a"): RecordRequest => ({ name: "home.example.com", type: "A", content, ownerId });
const opts = { signal: AbortSignal.timeout(2000), dryRun: false };

describe("the record template with DDNS_OWNER_ID", () => {
  it("creates its record, then the owner TXT naming the record's id; the next round finds it its own", async () => {
    const s = service();
    s.add("home.example.com", "A", "192.0.2.50");
    expect(await s.provider.setRecords([request("203.0.113.7")], opts)).toMatchObject([{ ok: true, outcome: "created", notOwned: ["192.0.2.50"] }]);
    expect(s.calls).toEqual(["list home.example.com A", "list _ddnsd-a.home.example.com TXT", "create home.example.com A 203.0.113.7", "create _ddnsd-a.home.example.com TXT heritage=ddnsd,owner=a,record=2"]);
    expect(await s.provider.setRecords([request("198.51.100.1")], opts)).toMatchObject([{ ok: true, outcome: "updated", previous: ["203.0.113.7"], notOwned: ["192.0.2.50"] }]);
    expect(s.records.filter((r) => r.type === "A").map((r) => [r.id, r.content])).toEqual([["1", "192.0.2.50"], ["2", "198.51.100.1"]]);
  });

  it("another owner's record is not its own: it creates one of its own beside it", async () => {
    const s = service();
    const b = s.add("home.example.com", "A", "203.0.113.7");
    s.add("_ddnsd-a.home.example.com", "TXT", `heritage=ddnsd,owner=b,record=${b.id}`);
    expect(await s.provider.setRecords([request("203.0.113.7")], opts)).toMatchObject([{ ok: true, outcome: "created", notOwned: ["203.0.113.7"] }]);
    expect(s.calls.filter((c) => !c.startsWith("list") && !c.startsWith("create"))).toEqual([]);
  });

  it("when the owner TXT cannot be written, deletes the record it just created and fails the round", async () => {
    const s = service({ txtFails: true });
    const [result] = await s.provider.setRecords([request("203.0.113.7")], opts);
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining("while writing the owner TXT record (DDNS_OWNER_ID) of the record just created, Testing answered HTTP 500; the record just created was deleted again") });
    expect(s.records).toEqual([]);
  });
});
