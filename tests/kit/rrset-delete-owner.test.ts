import { describe, expect, it } from "bun:test";
import { createRrsetProvider, type Rrset, type RrsetApi, type RrsetChange } from "../../src/providers/kit/rrset-provider.ts";
import type { Problem } from "../../src/providers/kit/answer.ts";
import type { DeleteResult, RecordRequest } from "../../src/providers/kit/types.ts";
import { createZoneFinder, type Zone } from "../../src/providers/kit/zone-finder.ts";

/**
 * DDNS_DELETE_ON_STOP with DDNS_OWNER_ID on the set-replacing template: the set goes only when this owner's TXT at
 * `_ddnsd-a.<name>` claims it, and this owner's text leaves the TXT set — in the same write where the API writes
 * several sets at once, after the set otherwise.
 */
const SET = "home.example.com A";
const TXT = "_ddnsd-a.home.example.com TXT";
const MINE = '"heritage=ddnsd,owner=site-a"';
const THEIRS = '"heritage=ddnsd,owner=site-b"';

function service(sets: Record<string, Rrset>, o: { maxPerWrite?: number; refuseTxt?: Problem; refuseRead?: Problem } = {}) {
  const writes: Array<Array<Pick<RrsetChange, "name" | "type" | "values">>> = [];
  const api: RrsetApi<Zone> = {
    service: "Testing",
    zoneFix: "add the zone",
    defaultTtl: 300,
    deletesSets: true,
    ...(o.maxPerWrite ? { maxPerWrite: o.maxPerWrite } : {}),
    zones: createZoneFinder<Zone>({ list: async () => ({ ok: true, value: [{ name: "example.com" }] }), now: () => 0 }),
    read: async (_zone, name, type) => (o.refuseRead && type === "TXT" ? { ok: false, problem: o.refuseRead } : { ok: true, value: sets[`${name} ${type}`] }),
    write: async (_zone, changes) => {
      writes.push(changes.map(({ name, type, values }) => ({ name, type, values })));
      if (o.refuseTxt && changes.some((c) => c.type === "TXT")) return { ok: false, problem: o.refuseTxt };
      for (const c of changes) {
        if (c.values.length === 0) delete sets[`${c.name} ${c.type}`];
        else sets[`${c.name} ${c.type}`] = { values: c.values, ttl: c.ttl };
      }
      return { ok: true, value: undefined };
    },
  };
  return { provider: createRrsetProvider(api, { id: "testing" }), writes, sets };
}

const request = (extra: Partial<RecordRequest> = {}): RecordRequest => ({ name: "home.example.com", type: "A", content: "203.0.113.7", ownerId: "site-a", ...extra });
const run = async (s: ReturnType<typeof service>, req = request(), dryRun = false) => (await s.provider.deleteRecords!([req], { signal: AbortSignal.timeout(2000), dryRun }))[0]!;
const deleteSet = { name: "home.example.com", type: "A", values: [] };
const deleteTxt = { name: "_ddnsd-a.home.example.com", type: "TXT", values: [] };

describe("deleting on stop with DDNS_OWNER_ID in the set-replacing template", () => {
  it.each<{ name: string; held: Record<string, Rrset>; maxPerWrite?: number; want: Record<string, unknown>; writes: unknown[]; after: Record<string, string[] | undefined> }>([
    {
      name: "this owner's TXT claims the set: set and TXT set go in one write where the API writes several sets",
      held: { [SET]: { values: ["203.0.113.7"] }, [TXT]: { values: [MINE] } }, maxPerWrite: 50,
      want: { ok: true, deleted: ["203.0.113.7"] }, writes: [[deleteSet, deleteTxt]], after: { [SET]: undefined, [TXT]: undefined },
    },
    {
      name: "one set per write: the set first, then the TXT set",
      held: { [SET]: { values: ["203.0.113.7"] }, [TXT]: { values: [MINE] } },
      want: { ok: true, deleted: ["203.0.113.7"] }, writes: [[deleteSet], [deleteTxt]], after: { [SET]: undefined, [TXT]: undefined },
    },
    {
      name: "texts of the TXT set that are not ddnsd's stay: the TXT set is rewritten without this owner's",
      held: { [SET]: { values: ["203.0.113.7"] }, [TXT]: { values: ['"v=spf1 -all"', MINE] } }, maxPerWrite: 50,
      want: { ok: true, deleted: ["203.0.113.7"] }, writes: [[deleteSet, { ...deleteTxt, values: ['"v=spf1 -all"'] }]], after: { [SET]: undefined, [TXT]: ['"v=spf1 -all"'] },
    },
    {
      name: "another owner's TXT claims the set: nothing is written, and the result says whose it is",
      held: { [SET]: { values: ["203.0.113.7"] }, [TXT]: { values: [THEIRS] } },
      want: { ok: true, deleted: [], kept: `the set is another daemon's: an owner TXT record of another owner ("site-b") at "_ddnsd-a.home.example.com" claims it` },
      writes: [], after: { [SET]: ["203.0.113.7"], [TXT]: [THEIRS] },
    },
    {
      name: "no owner TXT claims the set (made by hand): it stays",
      held: { [SET]: { values: ["203.0.113.7"] } },
      want: { ok: true, deleted: [], kept: `the set is not this daemon's: no owner TXT record of DDNS_OWNER_ID "site-a" at "_ddnsd-a.home.example.com" claims it` },
      writes: [], after: { [SET]: ["203.0.113.7"], [TXT]: undefined },
    },
    {
      name: "this owner's set that someone changed since stays, and so does its TXT",
      held: { [SET]: { values: ["203.0.113.7", "198.51.100.9"] }, [TXT]: { values: [MINE] } },
      want: { ok: true, deleted: [], kept: "the set holds 198.51.100.9, 203.0.113.7, not only the address this daemon published (203.0.113.7); someone changed it since" },
      writes: [], after: { [SET]: ["203.0.113.7", "198.51.100.9"], [TXT]: [MINE] },
    },
    {
      name: "no set, only this owner's TXT left: the TXT goes, nothing else",
      held: { [TXT]: { values: [MINE, THEIRS.replace("site-b", "site-a")] } },
      want: { ok: true, deleted: [] }, writes: [[deleteTxt]], after: { [TXT]: undefined },
    },
  ])("$name", async ({ held, maxPerWrite, want, writes, after }) => {
    const s = service(held, maxPerWrite ? { maxPerWrite } : {});
    expect(await run(s)).toEqual({ request: request(), ...want } as DeleteResult);
    expect(s.writes as unknown[]).toEqual(writes);
    expect(Object.fromEntries(Object.keys(after).map((k) => [k, s.sets[k]?.values]))).toEqual(after);
  });

  it("a TXT set that cannot be rewritten after the set is deleted fails, saying the set is gone and the TXT stays", async () => {
    const s = service({ [SET]: { values: ["203.0.113.7"] }, [TXT]: { values: [MINE] } }, { refuseTxt: { kind: "auth", reason: "Testing refused the token (HTTP 403)" } });
    expect(await run(s)).toEqual({
      ok: false, request: request(),
      message: `the record set is deleted, but its owner TXT record (DDNS_OWNER_ID) at "_ddnsd-a.home.example.com" could not be removed: Testing refused the token (HTTP 403)`,
    });
    expect(s.sets[SET]).toBeUndefined();
  });

  it("a dry run reads the owner TXT and reports, and writes nothing", async () => {
    const s = service({ [SET]: { values: ["203.0.113.7"] }, [TXT]: { values: [MINE] } });
    expect(await run(s, request(), true)).toEqual({ ok: true, request: request(), deleted: ["203.0.113.7"] });
    expect(s.writes).toEqual([]);
  });

  it("a failed read of the owner TXT fails the deletion with its step, and nothing is written", async () => {
    const s = service({ [SET]: { values: ["203.0.113.7"] } }, { refuseRead: { kind: "transient", reason: "Testing did not answer within 0.1 s" } });
    expect(await run(s)).toEqual({ ok: false, request: request(), message: "while reading the owner TXT records (DDNS_OWNER_ID), Testing did not answer within 0.1 s" });
    expect(s.writes).toEqual([]);
  });
});
