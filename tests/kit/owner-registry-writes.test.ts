import { describe, expect, it } from "bun:test";
import { createRecordProvider, type RecordApi } from "../../src/providers/kit/record-provider.ts";
import { createZoneFinder, type Zone } from "../../src/providers/kit/zone-finder.ts";
import type { HeldRecord } from "../../src/providers/kit/record-plan.ts";
import type { RecordRequest } from "../../src/providers/kit/types.ts";

/**
 * The record template with DDNS_OWNER_ID over an in-memory zone: what it reads and writes for the owner TXT, through
 * the provider's own list/create/remove with type TXT (no TXT-specific provider code).
 */
function service(opts: { txtFails?: boolean; quoted?: boolean; noId?: boolean; twin?: boolean } = {}) {
  let seq = 0;
  const records: Array<HeldRecord & { name: string; type: string }> = [];
  const calls: string[] = [];
  const logged: string[] = [];
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
    async create(_z, record) {
      calls.push(`create ${record.name} ${record.type} ${record.content}`);
      if (opts.txtFails && record.type === "TXT") return { ok: false, problem: { kind: "transient", reason: "Testing answered HTTP 500" } };
      const added = add(record.name, record.type, record.content);
      // Another writer creates the same address at the same moment.
      if (opts.twin && record.type !== "TXT") add(record.name, record.type, record.content);
      return { ok: true, value: opts.noId && record.type !== "TXT" ? undefined : { ...added } };
    },
    update: async (_z, held, changes) => (calls.push(`update ${held.id} ${changes.content}`), void Object.assign(records.find((r) => r.id === held.id)!, changes), { ok: true, value: undefined }),
    remove: async (_z, held) => (calls.push(`remove ${held.id}`), records.splice(records.findIndex((r) => r.id === held.id), 1), { ok: true, value: undefined }),
    ...(opts.quoted ? { txtContent: (text: string) => `"${text}"` } : {}),
  };
  const provider = createRecordProvider(api, { id: "testing", now: () => 0, log: { info: (line: string) => void logged.push(line) } });
  return { records, calls, logged, add, provider };
}
const request = (content: string, extra: Partial<RecordRequest> = {}): RecordRequest => ({ name: "home.example.com", type: "A", content, ownerId: "a", ...extra });
const opts = { signal: AbortSignal.timeout(2000), dryRun: false };
const txts = (s: ReturnType<typeof service>) => s.records.filter((r) => r.type === "TXT").map((r) => r.content);
const addresses = (s: ReturnType<typeof service>) => s.records.filter((r) => r.type === "A").map((r) => [r.id, r.content]);

describe("the record template with DDNS_OWNER_ID", () => {
  it("creates its record, then the owner TXT naming the record's id; the next round finds it its own", async () => {
    const s = service();
    s.add("home.example.com", "A", "192.0.2.50");
    expect(await s.provider.setRecords([request("203.0.113.7")], opts)).toMatchObject([{ ok: true, outcome: "created", notOwned: ["192.0.2.50"] }]);
    expect(s.calls).toEqual(["list home.example.com A", "list _ddnsd-a.home.example.com TXT", "create home.example.com A 203.0.113.7", "create _ddnsd-a.home.example.com TXT heritage=ddnsd,owner=a,record=2"]);
    expect(await s.provider.setRecords([request("198.51.100.1")], opts)).toMatchObject([{ ok: true, outcome: "updated", previous: ["203.0.113.7"], notOwned: ["192.0.2.50"] }]);
    expect(addresses(s)).toEqual([["1", "192.0.2.50"], ["2", "198.51.100.1"]]);
  });

  it("writes the TXT text the way the provider's hook says (quoted)", async () => {
    const s = service({ quoted: true });
    await s.provider.setRecords([request("203.0.113.7")], opts);
    expect(txts(s)).toEqual(['"heritage=ddnsd,owner=a,record=1"']);
    expect(await s.provider.setRecords([request("203.0.113.7")], opts)).toMatchObject([{ ok: true, outcome: "unchanged" }]);
  });

  it("another owner's record is not its own: it creates one of its own beside it", async () => {
    const s = service();
    const b = s.add("home.example.com", "A", "203.0.113.7");
    s.add("_ddnsd-a.home.example.com", "TXT", `heritage=ddnsd,owner=b,record=${b.id}`);
    expect(await s.provider.setRecords([request("203.0.113.7")], opts)).toMatchObject([{ ok: true, outcome: "created", notOwned: ["203.0.113.7"] }]);
    expect(s.calls.filter((c) => !c.startsWith("list") && !c.startsWith("create"))).toEqual([]);
  });

  it.each<{ name: string; twin: boolean; expected: { ok: boolean; txts: number } }>([
    { name: "a create answered without the new id: the record is read back and its TXT names it", twin: false, expected: { ok: true, txts: 1 } },
    { name: "a create answered without the new id, and two new records hold the address: no TXT, the round fails", twin: true, expected: { ok: false, txts: 0 } },
  ])("$name", async ({ twin, expected }) => {
    const s = service({ noId: true, twin });
    s.add("home.example.com", "A", "192.0.2.50");
    const [result] = await s.provider.setRecords([request("203.0.113.7")], opts);
    expect(result?.ok).toBe(expected.ok);
    expect(txts(s)).toHaveLength(expected.txts);
    if (expected.ok) expect(txts(s)).toEqual([`heritage=ddnsd,owner=a,record=${s.records.find((r) => r.type === "A" && r.content === "203.0.113.7")!.id}`]);
  });

  it("when the owner TXT cannot be written, deletes the record it just created and fails the round", async () => {
    const s = service({ txtFails: true });
    const [result] = await s.provider.setRecords([request("203.0.113.7")], opts);
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining("while writing the owner TXT record (DDNS_OWNER_ID) of the record just created, Testing answered HTTP 500; the record just created was deleted again") });
    expect(s.records).toEqual([]);
  });
});

describe("owner TXT cleanup (DDNS_OWNER_ID)", () => {
  it("deletes the owner TXT of a duplicate it deletes, and keeps the one of the record it keeps", async () => {
    const s = service();
    const one = s.add("home.example.com", "A", "198.51.100.1");
    const two = s.add("home.example.com", "A", "203.0.113.7");
    s.add("_ddnsd-a.home.example.com", "TXT", `heritage=ddnsd,owner=a,record=${one.id}`);
    s.add("_ddnsd-a.home.example.com", "TXT", `heritage=ddnsd,owner=a,record=${two.id}`);
    expect(await s.provider.setRecords([request("203.0.113.7")], opts)).toMatchObject([{ ok: true, outcome: "updated" }]);
    expect(addresses(s)).toEqual([[two.id, "203.0.113.7"]]);
    expect(txts(s)).toEqual([`heritage=ddnsd,owner=a,record=${two.id}`]);
  });

  it("deletes this owner's leftover TXT naming a record that is gone; another owner's leftover stays", async () => {
    const s = service();
    s.add("_ddnsd-a.home.example.com", "TXT", "heritage=ddnsd,owner=a,record=404");
    s.add("_ddnsd-a.home.example.com", "TXT", "heritage=ddnsd,owner=b,record=405");
    await s.provider.setRecords([request("203.0.113.7")], opts);
    const own = s.records.find((r) => r.type === "A")!;
    expect(txts(s).sort()).toEqual(["heritage=ddnsd,owner=b,record=405", `heritage=ddnsd,owner=a,record=${own.id}`].sort());
  });

  it("delete on stop deletes its record and the owner TXT naming it, nothing of another owner's", async () => {
    const s = service();
    const mine = s.add("home.example.com", "A", "203.0.113.7");
    const theirs = s.add("home.example.com", "A", "203.0.113.7");
    s.add("_ddnsd-a.home.example.com", "TXT", `heritage=ddnsd,owner=a,record=${mine.id}`);
    s.add("_ddnsd-a.home.example.com", "TXT", `heritage=ddnsd,owner=b,record=${theirs.id}`);
    expect(await s.provider.deleteRecords!([request("203.0.113.7")], opts)).toEqual([{ ok: true, request: request("203.0.113.7"), deleted: ["203.0.113.7"] }]);
    expect(addresses(s)).toEqual([[theirs.id, "203.0.113.7"]]);
    expect(txts(s)).toEqual([`heritage=ddnsd,owner=b,record=${theirs.id}`]);
  });
});

describe("adoption (DDNS_OWNER_ADOPT)", () => {
  it.each<{ name: string; existing: "none" | "other" | "mine"; expected: { adopted: boolean; logged: string[] } }>([
    { name: "a record no owner TXT names is adopted: its TXT written, logged once", existing: "none", expected: { adopted: true, logged: ['Adopted the A record home.example.com (192.0.2.50) for DDNS_OWNER_ID "a"'] } },
    { name: "a record another owner's TXT names is never adopted", existing: "other", expected: { adopted: false, logged: [] } },
  ])("$name", async ({ existing, expected }) => {
    const s = service();
    const old = s.add("home.example.com", "A", "192.0.2.50");
    if (existing === "other") s.add("_ddnsd-a.home.example.com", "TXT", `heritage=ddnsd,owner=b,record=${old.id}`);
    await s.provider.setRecords([request("203.0.113.7", { ownerAdopt: true })], opts);
    await s.provider.setRecords([request("203.0.113.7", { ownerAdopt: true })], opts);
    expect(s.logged).toEqual(expected.logged);
    if (expected.adopted) {
      expect(addresses(s)).toEqual([[old.id, "203.0.113.7"]]);
      expect(txts(s)).toEqual([`heritage=ddnsd,owner=a,record=${old.id}`]);
    } else {
      expect(addresses(s).find((r) => r[0] === old.id)).toEqual([old.id, "192.0.2.50"]);
      expect(addresses(s)).toHaveLength(2);
    }
  });

  it("adopts nothing in a dry run (it says it would)", async () => {
    const s = service();
    s.add("home.example.com", "A", "192.0.2.50");
    expect(await s.provider.setRecords([request("203.0.113.7", { ownerAdopt: true })], { ...opts, dryRun: true })).toMatchObject([{ ok: true, outcome: "planned", previous: ["192.0.2.50"] }]);
    expect(s.logged).toEqual(['Would adopt the A record home.example.com (192.0.2.50) for DDNS_OWNER_ID "a"']);
    expect(txts(s)).toEqual([]);
  });
});
