import { describe, expect, it } from "bun:test";
import { createRecordProvider, type RecordApi } from "../../src/providers/kit/record-provider.ts";
import { createZoneFinder, type Zone } from "../../src/providers/kit/zone-finder.ts";
import type { Answer, Problem } from "../../src/providers/kit/answer.ts";
import type { HeldRecord } from "../../src/providers/kit/record-plan.ts";
import type { RecordRequest } from "../../src/providers/kit/types.ts";

type Z = Zone & { id: number };

/**
 * An in-memory record store behind the RecordApi seam: the template's logic, without HTTP. Zones have ids;
 * `readd(zone)` deletes a zone and adds it again (a new id, no records): calls with the old id get `stale-zone`.
 */
function service(opts: { batch?: boolean; zones?: string[]; log?: string[]; renumber?: boolean } = {}) {
  let seq = 0;
  let generation = 0;
  const records = new Map<string, Array<HeldRecord & { name: string; type: string }>>();
  const ids = new Map<string, number>();
  for (const z of opts.zones ?? ["example.com"]) (records.set(z, []), ids.set(z, ++generation));
  const calls: string[] = [];
  const faults: Array<{ op: string; problem: Problem }> = [];
  const fault = (op: string): Problem | undefined => {
    const i = faults.findIndex((f) => f.op === op);
    return i >= 0 ? faults.splice(i, 1)[0]!.problem : undefined;
  };
  const zoneList = (z: Z) => records.get(z.name)!;
  const STALE: Problem = { kind: "transient", reason: "no such zone id", tag: "stale-zone" };
  const stale = (z: Z) => ids.get(z.name) !== z.id;
  const api: RecordApi<Z> = {
    service: "Testing",
    zoneFix: "add the domain",
    zones: createZoneFinder<Z>({
      lookup: async (c) => (calls.push(`zone ${c}`), { ok: true, value: records.has(c) ? { name: c, id: ids.get(c)! } : undefined }),
      list: async () => (calls.push("zones"), { ok: true, value: [...ids].map(([name, id]) => ({ name, id })) }),
      listThreshold: 3,
      now: () => 0,
    }),
    async list(zone, name, type) {
      calls.push(`list ${name} ${type}`);
      const p = fault("list") ?? (stale(zone) ? STALE : undefined);
      if (p) return { ok: false, problem: p };
      return { ok: true, value: zoneList(zone).filter((r) => r.name === name && r.type === type).map(({ name: _n, type: _t, ...r }) => ({ ...r })) };
    },
    async listAll(zone, type) {
      calls.push(`listAll ${type}`);
      if (stale(zone)) return { ok: false, problem: STALE };
      return { ok: true, value: zoneList(zone).filter((r) => r.type === type).map((r) => ({ ...r })) };
    },
    async create(zone, record): Promise<Answer<HeldRecord>> {
      calls.push(`create ${record.name} ${record.content}`);
      const p = fault("create") ?? (stale(zone) ? STALE : undefined);
      if (p) return { ok: false, problem: p };
      const r = { id: `r${++seq}`, name: record.name, type: record.type, content: record.content, ttl: record.ttl ?? 1, proxied: record.proxied ?? false, comment: record.comment ?? "" };
      zoneList(zone).push(r);
      return { ok: true, value: { id: r.id, content: r.content } };
    },
    async update(zone, held, changes) {
      calls.push(`update ${held.id} ${JSON.stringify(changes)}`);
      const p = fault("update") ?? (stale(zone) ? STALE : undefined);
      if (p) return { ok: false, problem: p };
      const r = zoneList(zone).find((x) => x.id === held.id);
      if (!r) return { ok: false, problem: { kind: "transient", reason: "gone", tag: "stale-record" } };
      Object.assign(r, changes);
      if (!opts.renumber) return { ok: true, value: undefined };
      r.id = `r${++seq}`;
      return { ok: true, value: { id: r.id } };
    },
    async remove(zone, held) {
      calls.push(`remove ${held.id}`);
      const p = fault("remove");
      if (p) return { ok: false, problem: p };
      const list = zoneList(zone);
      const i = list.findIndex((x) => x.id === held.id);
      if (i < 0) return { ok: false, problem: { kind: "transient", reason: "gone", tag: "stale-record" } };
      list.splice(i, 1);
      return { ok: true, value: undefined };
    },
    ...(opts.batch
      ? {
          batchLimit: 3,
          async batch(zone: Z, plans: import("../../src/providers/kit/record-plan.ts").RecordPlan[]) {
            calls.push(`batch ${plans.length}`);
            const p = fault("batch");
            if (p) return { ok: false as const, problem: p };
            const kept: Array<HeldRecord | undefined> = [];
            for (const plan of plans) {
              for (const d of plan.deletes) await this.remove(zone, d, AbortSignal.timeout(1000));
              if (plan.update && plan.keep) Object.assign(zoneList(zone).find((x) => x.id === plan.keep!.id)!, plan.update);
              if (plan.create) {
                const r = { id: `r${++seq}`, name: plan.create.name, type: plan.create.type, content: plan.create.content };
                zoneList(zone).push(r);
                kept.push({ id: r.id, content: r.content });
              } else kept.push(plan.keep ? { ...plan.keep, ...plan.update } : undefined);
            }
            return { ok: true as const, value: kept };
          },
        }
      : {}),
  };
  const readd = (zone: string) => (records.set(zone, []), ids.set(zone, ++generation));
  const logger = { info: (message: string) => void opts.log?.push(message) };
  return { api, calls, records, faults, readd, provider: createRecordProvider(api, { id: "testing", now: () => 0, bulkThreshold: 3, log: logger }) };
}

const opts = (dryRun = false) => ({ signal: AbortSignal.timeout(2000), dryRun });
const a = (name: string, content: string, extra: Partial<RecordRequest> = {}): RecordRequest => ({ name, type: "A", content, ...extra });

describe("the record-id provider template", () => {
  it("creates, then changes with one write and no read (id cache), then verifies with one read", async () => {
    const s = service();
    expect(await s.provider.setRecords([a("home.example.com", "203.0.113.1")], opts())).toMatchObject([{ ok: true, outcome: "created", previous: [] }]);
    s.calls.length = 0;
    expect(await s.provider.setRecords([a("home.example.com", "203.0.113.2")], opts())).toMatchObject([{ ok: true, outcome: "updated", previous: ["203.0.113.1"] }]);
    expect(s.calls).toEqual(['update r1 {"content":"203.0.113.2"}']);
    s.calls.length = 0;
    expect(await s.provider.setRecords([a("home.example.com", "203.0.113.2")], opts())).toMatchObject([{ ok: true, outcome: "unchanged" }]);
    expect(s.calls).toEqual(["list home.example.com A"]);
  });

  it("takes the new id an update answers with (APIs that renumber a changed record), so the next change costs no read", async () => {
    const s = service({ renumber: true });
    await s.provider.setRecords([a("home.example.com", "203.0.113.1")], opts());
    await s.provider.setRecords([a("home.example.com", "203.0.113.2")], opts());
    s.calls.length = 0;
    expect(await s.provider.setRecords([a("home.example.com", "203.0.113.3")], opts())).toMatchObject([{ ok: true, outcome: "updated", previous: ["203.0.113.2"] }]);
    expect(s.calls).toEqual(['update r2 {"content":"203.0.113.3"}']);
  });

  it("reads but never writes in a dry run", async () => {
    const s = service();
    expect(await s.provider.setRecords([a("home.example.com", "203.0.113.1")], opts(true))).toMatchObject([{ ok: true, outcome: "planned" }]);
    expect(s.calls.filter((c) => /create|update|remove|batch/.test(c))).toEqual([]);
  });

  it("reports a missing zone per record, in the service's words, and goes on with the others", async () => {
    const s = service();
    const results = await s.provider.setRecords([a("home.example.net", "203.0.113.1"), a("home.example.com", "203.0.113.1")], opts());
    expect(results[0]).toEqual({ ok: false, request: a("home.example.net", "203.0.113.1"), kind: "config", message: 'no Testing zone holds "home.example.net" (tried "home.example.net", "example.net"); add the domain' });
    expect(results[1]).toMatchObject({ ok: true, outcome: "created" });
  });

  it("lists the zone once when many names of one type need reading", async () => {
    const s = service();
    const names = ["a", "b", "c", "d"].map((n) => a(`${n}.example.com`, "203.0.113.1"));
    await s.provider.setRecords(names, opts());
    s.calls.length = 0;
    await s.provider.setRecords(names, opts());
    expect(s.calls).toEqual(["listAll A"]);
  });

  it("batches the writes of one zone, at most batchLimit operations per request", async () => {
    const s = service({ batch: true });
    const names = ["a", "b", "c", "d"].map((n) => a(`${n}.example.com`, "203.0.113.1"));
    expect((await s.provider.setRecords(names, opts())).map((r) => r.ok && r.outcome)).toEqual(["created", "created", "created", "created"]);
    expect(s.calls.filter((c) => c.startsWith("batch"))).toEqual(["batch 3", "batch 1"]);
  });

  it("falls back to single calls when the batch endpoint is refused", async () => {
    const s = service({ batch: true });
    s.faults.push({ op: "batch", problem: { kind: "config", reason: "no batch here", tag: "batch-refused" } });
    const names = ["a", "b"].map((n) => a(`${n}.example.com`, "203.0.113.1"));
    expect((await s.provider.setRecords(names, opts())).map((r) => r.ok)).toEqual([true, true]);
    expect(s.calls.filter((c) => c.startsWith("create"))).toHaveLength(2);
  });

  it("reads again and retries once when an id went stale (a record deleted by hand)", async () => {
    const s = service();
    await s.provider.setRecords([a("home.example.com", "203.0.113.1")], opts());
    s.records.get("example.com")!.length = 0;
    expect(await s.provider.setRecords([a("home.example.com", "203.0.113.2")], opts())).toMatchObject([{ ok: true, outcome: "created" }]);
  });

  it("says 'could not confirm' (unconfirmed) only for a write whose answer was lost", async () => {
    const s = service();
    s.faults.push({ op: "create", problem: { kind: "transient", reason: "no answer", mayHaveArrived: true } });
    expect(await s.provider.setRecords([a("home.example.com", "203.0.113.1")], opts())).toMatchObject([{ ok: false, kind: "transient", unconfirmed: true }]);
    s.faults.push({ op: "list", problem: { kind: "transient", reason: "no answer", mayHaveArrived: true } });
    const [read] = await s.provider.setRecords([a("home.example.com", "203.0.113.1")], opts());
    expect(read).toMatchObject({ ok: false, kind: "transient" });
    expect(read && !read.ok && read.unconfirmed).toBeFalsy();
  });

  it("cleans duplicates and keeps the record that holds the address", async () => {
    const s = service();
    const zone = s.records.get("example.com")!;
    zone.push({ id: "x1", name: "home.example.com", type: "A", content: "198.51.100.1" }, { id: "x2", name: "home.example.com", type: "A", content: "203.0.113.1" });
    expect(await s.provider.setRecords([a("home.example.com", "203.0.113.1")], opts())).toMatchObject([{ ok: true, outcome: "updated", previous: ["198.51.100.1", "203.0.113.1"] }]);
    expect(zone.map((r) => r.id)).toEqual(["x2"]);
  });
});

describe("the record-id provider template: failures say which step failed", () => {
  const down = (extra: Partial<Problem> = {}): Problem => ({ kind: "transient", reason: "the service failed", ...extra });
  it.each<{ name: string; op: string; seed?: string; problem: Problem; message: string; unconfirmed?: boolean }>([
    { name: "a read", op: "list", problem: down(), message: "while reading the records, the service failed" },
    { name: "a create", op: "create", problem: down(), message: "while creating the record, the service failed" },
    { name: "an update", op: "update", seed: "198.51.100.1", problem: down(), message: "while updating the record, the service failed" },
    { name: "a create whose answer was lost", op: "create", problem: down({ mayHaveArrived: true }), unconfirmed: true,
      message: "while creating the record, the service failed; the record is read back before it is written again" },
  ])("$name", async ({ op, seed, problem, message, unconfirmed }) => {
    const s = service();
    if (seed) s.records.get("example.com")!.push({ id: "x1", name: "home.example.com", type: "A", content: seed });
    s.faults.push({ op, problem });
    const [result] = await s.provider.setRecords([a("home.example.com", "203.0.113.1")], opts());
    expect(result).toEqual({ ok: false, request: a("home.example.com", "203.0.113.1"), kind: "transient", message, ...(unconfirmed ? { unconfirmed } : {}) });
  });

  it("a duplicate that cannot be deleted", async () => {
    const s = service();
    s.records.get("example.com")!.push({ id: "x1", name: "home.example.com", type: "A", content: "203.0.113.1" }, { id: "x2", name: "home.example.com", type: "A", content: "198.51.100.1" });
    s.faults.push({ op: "remove", problem: down() });
    expect(await s.provider.setRecords([a("home.example.com", "203.0.113.1")], opts())).toEqual([
      { ok: false, request: a("home.example.com", "203.0.113.1"), kind: "transient", message: "while deleting a duplicate record, the service failed" },
    ]);
  });

  it("a zone lookup", async () => {
    const s = service();
    const failing = createRecordProvider({ ...s.api, zones: createZoneFinder<Z>({ lookup: async () => ({ ok: false, problem: down() }), now: () => 0 }) }, { id: "testing", now: () => 0 });
    expect(await failing.setRecords([a("home.example.com", "203.0.113.1")], opts())).toEqual([
      { ok: false, request: a("home.example.com", "203.0.113.1"), kind: "transient", message: "while looking up the zone, the service failed" },
    ]);
  });
});

describe("the record-id provider template: a zone deleted and added again (stale zone id)", () => {
  it("a known record: the write fails, the zone is looked up again, the record read and created there", async () => {
    const s = service();
    await s.provider.setRecords([a("home.example.com", "203.0.113.1")], opts());
    s.readd("example.com");
    s.calls.length = 0;
    expect(await s.provider.setRecords([a("home.example.com", "203.0.113.2")], opts())).toMatchObject([{ ok: true, outcome: "created", previous: [] }]);
    expect(s.calls).toEqual(['update r1 {"content":"203.0.113.2"}', "zone example.com", "list home.example.com A", "create home.example.com 203.0.113.2"]);
    expect(s.records.get("example.com")!.map((r) => r.content)).toEqual(["203.0.113.2"]);
  });

  it("many records: one zone listing, one zone-wide read and the writes in the zone found again", async () => {
    const s = service({ batch: true });
    const names = ["a", "b", "c"].map((n) => a(`${n}.example.com`, "203.0.113.1"));
    await s.provider.setRecords(names, opts());
    s.readd("example.com");
    s.calls.length = 0;
    expect((await s.provider.setRecords(names, opts())).map((r) => r.ok && r.outcome)).toEqual(["created", "created", "created"]);
    expect(s.calls).toEqual(["listAll A", "zones", "listAll A", "batch 3"]);
  });

  it("goes round once only: a zone id still stale after the new lookup is a failure", async () => {
    const s = service();
    await s.provider.setRecords([a("home.example.com", "203.0.113.1")], opts());
    const stale: Problem = { kind: "transient", reason: "no such zone id", tag: "stale-zone" };
    s.faults.push({ op: "update", problem: stale }, { op: "update", problem: stale });
    s.calls.length = 0;
    expect(await s.provider.setRecords([a("home.example.com", "203.0.113.2")], opts())).toEqual([
      { ok: false, request: a("home.example.com", "203.0.113.2"), kind: "transient", message: "while updating the record, no such zone id" },
    ]);
    expect(s.calls.filter((c) => c.startsWith("update"))).toHaveLength(2);
  });

  it("says once that the batch endpoint was refused", async () => {
    const log: string[] = [];
    const s = service({ batch: true, log });
    s.faults.push({ op: "batch", problem: { kind: "config", reason: "no batch here", tag: "batch-refused" } });
    await s.provider.setRecords(["a", "b"].map((n) => a(`${n}.example.com`, "203.0.113.1")), opts());
    await s.provider.setRecords(["a", "b"].map((n) => a(`${n}.example.com`, "203.0.113.2")), opts());
    expect(log).toEqual(["Testing refused the batch endpoint; using single requests for a while"]);
  });
});
