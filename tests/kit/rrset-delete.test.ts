import { describe, expect, it } from "bun:test";
import { createRrsetProvider, type Rrset, type RrsetApi, type RrsetChange } from "../../src/providers/kit/rrset-provider.ts";
import type { Answer, Problem } from "../../src/providers/kit/answer.ts";
import type { DeleteResult, RecordRequest } from "../../src/providers/kit/types.ts";
import { createZoneFinder, type Zone } from "../../src/providers/kit/zone-finder.ts";

/** DDNS_DELETE_ON_STOP on the set-replacing template: which sets go, through `write`, and what the results say. */
function service(sets: Record<string, Rrset>, o: { refuse?: Problem; handle?: string; confirm?: Answer<"done" | "pending">; deletes?: boolean } = {}) {
  const writes: RrsetChange[][] = [];
  const api: RrsetApi<Zone, string> = {
    service: "Testing",
    zoneFix: "add the zone",
    defaultTtl: 300,
    deletesSets: o.deletes ?? true,
    zones: createZoneFinder<Zone>({ list: async () => ({ ok: true, value: [{ name: "example.com" }] }), now: () => 0 }),
    read: async (_zone, name, type) => ({ ok: true, value: sets[`${name} ${type}`] }),
    write: async (_zone, changes) => {
      writes.push(changes);
      if (o.refuse) return { ok: false, problem: o.refuse };
      for (const c of changes) if (c.values.length === 0) delete sets[`${c.name} ${c.type}`];
      return { ok: true, value: o.handle };
    },
    ...(o.confirm ? { confirm: async () => o.confirm! } : {}),
  };
  return { provider: createRrsetProvider(api, { id: "testing", sleep: async () => true, confirmWithinMs: 0 }), writes, sets };
}

const request = (extra: Partial<RecordRequest> = {}): RecordRequest => ({ name: "home.example.com", type: "A", content: "203.0.113.7", ...extra });
const opts = (dryRun = false) => ({ signal: AbortSignal.timeout(2000), dryRun });
const KEY = "home.example.com A";
const deleteOne = async (s: ReturnType<typeof service>, req: RecordRequest, dryRun = false): Promise<DeleteResult> => (await s.provider.deleteRecords!([req], opts(dryRun)))[0]!;

describe("deleting on stop in the set-replacing template", () => {
  it.each<{ name: string; held: Rrset | undefined; request: RecordRequest; want: { ok: true; deleted: string[]; kept?: string }; written: boolean }>([
    { name: "without ownership settings: the set holding exactly the published address goes", held: { values: ["203.0.113.7"], ttl: 60 }, request: request(), want: { ok: true, deleted: ["203.0.113.7"] }, written: true },
    { name: "the same address in another spelling counts as the same", held: { values: ["2001:0db8:0:0::7"] }, request: request({ type: "AAAA", content: "2001:db8::7" }), want: { ok: true, deleted: ["2001:db8::7"] }, written: true },
    {
      name: "without ownership settings: a set holding more than the published address stays, and says why",
      held: { values: ["203.0.113.7", "198.51.100.9"] }, request: request(), written: false,
      want: { ok: true, deleted: [], kept: "the set holds 198.51.100.9, 203.0.113.7, not only the address this daemon published (203.0.113.7); someone changed it since" },
    },
    {
      name: "without ownership settings and nothing published since the start: the set stays",
      held: { values: ["203.0.113.7"] }, request: request({ content: "" }), written: false,
      want: { ok: true, deleted: [], kept: "this daemon published no address there since it started (the set holds 203.0.113.7)" },
    },
    { name: "with the regex: a set whose comment matches goes, whatever it holds", held: { values: ["198.51.100.1"], comment: "ddnsd:a" }, request: request({ managedComment: /^ddnsd:a$/ }), want: { ok: true, deleted: ["198.51.100.1"] }, written: true },
    {
      name: "with the regex: a set with another comment stays",
      held: { values: ["203.0.113.7"], comment: "by hand" }, request: request({ managedComment: /^ddnsd:a$/ }), written: false,
      want: { ok: true, deleted: [], kept: `the set is not ddnsd's: its comment "by hand" does not match DDNS_MANAGED_RECORDS_COMMENT_REGEX` },
    },
    { name: "no set: nothing to delete, nothing written", held: undefined, request: request(), want: { ok: true, deleted: [] }, written: false },
  ])("$name", async ({ held, request: req, want, written }) => {
    const s = service(held ? { [`${req.name} ${req.type}`]: held } : {});
    expect(await deleteOne(s, req)).toEqual({ request: req, ...want });
    expect(s.writes.length > 0).toBe(written);
  });

  it("deletes through write: a change with no values that carries the set as read (conditional APIs use it)", async () => {
    const s = service({ [KEY]: { values: ["203.0.113.7"], ttl: 60 } });
    await deleteOne(s, request());
    expect(s.writes).toEqual([[{ request: request(), name: "home.example.com", type: "A", ttl: 60, values: [], previous: { values: ["203.0.113.7"], ttl: 60 } }]]);
  });

  it("a dry run reads and reports, and writes nothing", async () => {
    const s = service({ [KEY]: { values: ["203.0.113.7"] } });
    expect(await deleteOne(s, request(), true)).toMatchObject({ ok: true, deleted: ["203.0.113.7"] });
    expect(s.writes).toEqual([]);
    expect(s.sets[KEY]).toBeDefined();
  });

  it.each<{ name: string; refuse?: Problem; confirm?: Answer<"done" | "pending">; want: Record<string, unknown> }>([
    { name: "a refused write fails with the step and the reason", refuse: { kind: "auth", reason: "Testing refused the token (HTTP 403)" }, want: { ok: false, message: "while deleting the record set, Testing refused the token (HTTP 403)" } },
    { name: "a set changed between the read and the write (conflict) stays", refuse: { kind: "config", reason: "the set no longer holds what ddnsd read", tag: "conflict" }, want: { ok: true, deleted: [], kept: "the set changed while ddnsd was deleting it (the set no longer holds what ddnsd read)" } },
    { name: "an asynchronous change not confirmed in time fails as could-not-confirm", confirm: { ok: true, value: "pending" }, want: { ok: false, message: "while deleting the record set, Testing accepted the change but did not report it applied in time" } },
  ])("$name", async ({ refuse, confirm, want }) => {
    const s = service({ [KEY]: { values: ["203.0.113.7"] } }, { ...(refuse ? { refuse } : {}), ...(confirm ? { confirm, handle: "change-1" } : {}) });
    expect(await deleteOne(s, request())).toMatchObject(want);
  });

  it("an API that does not delete sets gives the provider no deleteRecords (the stop says it cannot delete)", () => {
    expect(service({}, { deletes: false }).provider.deleteRecords).toBeUndefined();
  });
});
