import { describe, expect, it } from "bun:test";
import type { Answer, Problem } from "../../src/providers/kit/answer.ts";
import { createRrsetProvider, type Rrset, type RrsetApi } from "../../src/providers/kit/rrset-provider.ts";
import { createZoneFinder, type Zone } from "../../src/providers/kit/zone-finder.ts";
import type { RecordRequest } from "../../src/providers/kit/types.ts";
import type { Logger } from "../../src/log/logger.ts";

/**
 * DDNS_OWNER_ID on the set-replacing template, over an in-memory set store: which sets are written, in how many
 * writes, and what a set that is not this daemon's says.
 */
function service(opts: { maxPerWrite?: number; quoted?: boolean; refuseTxt?: Problem } = {}) {
  const sets = new Map<string, Rrset>();
  const calls: string[] = [];
  const logged: string[] = [];
  const api: RrsetApi<Zone> = {
    service: "Testing",
    zoneFix: "add the zone",
    defaultTtl: 300,
    ...(opts.maxPerWrite ? { maxPerWrite: opts.maxPerWrite } : {}),
    ...(opts.quoted ? { txtValue: (text: string) => `"${text}"` } : {}),
    zones: createZoneFinder<Zone>({ list: async () => ({ ok: true, value: [{ name: "example.com" }] }), now: () => 0 }),
    async read(_zone, name, type) {
      const set = sets.get(`${name} ${type}`);
      return { ok: true, value: set && { ...set, values: [...set.values] } };
    },
    async write(_zone, changes): Promise<Answer<void>> {
      calls.push(changes.map((c) => `${c.name} ${c.type} ${c.values.join(",")}`).join("; "));
      if (opts.refuseTxt && changes.some((c) => c.type === "TXT")) return { ok: false, problem: opts.refuseTxt };
      for (const c of changes) sets.set(`${c.name} ${c.type}`, { values: c.values, ttl: c.ttl });
      return { ok: true, value: undefined };
    },
  };
  const log = { info: (line: string) => void logged.push(line), debug: () => undefined } as unknown as Logger;
  const provider = createRrsetProvider(api, { id: "testing", log });
  const run = (request: RecordRequest, dryRun = false) => provider.setRecords([request], { signal: AbortSignal.timeout(2000), dryRun }).then((r) => r[0]!);
  const put = (name: string, type: string, values: string[]) => sets.set(`${name} ${type}`, { values, ttl: 60 });
  return { calls, logged, run, put, sets };
}
const NAME = "home.example.com";
const TXT = "_ddnsd-a.home.example.com";
const a = (content: string, more: Partial<RecordRequest> = {}): RecordRequest => ({ name: NAME, type: "A", content, ownerId: "a", ...more });

describe("the set-replacing template with DDNS_OWNER_ID", () => {
  it.each<{ name: string; maxPerWrite?: number; quoted?: boolean; writes: string[] }>([
    { name: "a new name: its set and its owner TXT set in one write", maxPerWrite: 20, writes: [`${TXT} TXT heritage=ddnsd,owner=a; ${NAME} A 203.0.113.7`] },
    { name: "one set per write: the owner TXT set first, then the set", writes: [`${TXT} TXT heritage=ddnsd,owner=a`, `${NAME} A 203.0.113.7`] },
    { name: "the TXT value spelled the way the provider's hook says", maxPerWrite: 20, quoted: true, writes: [`${TXT} TXT "heritage=ddnsd,owner=a"; ${NAME} A 203.0.113.7`] },
  ])("$name", async ({ maxPerWrite, quoted, writes }) => {
    const s = service({ ...(maxPerWrite ? { maxPerWrite } : {}), ...(quoted ? { quoted } : {}) });
    expect(await s.run(a("203.0.113.7"))).toMatchObject({ ok: true, outcome: "created", previous: [] });
    expect(s.calls).toEqual(writes);
    expect(await s.run(a("203.0.113.7"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(await s.run(a("198.51.100.1"))).toMatchObject({ ok: true, outcome: "updated", previous: ["203.0.113.7"] });
    expect(s.calls.slice(writes.length)).toEqual([`${NAME} A 198.51.100.1`]);
  });

  it.each<{ name: string; a: string[]; txt?: string[]; adopt: boolean; message: string }>([
    {
      name: "a set without an owner TXT (made by hand) is never written",
      a: ["192.0.2.50"],
      adopt: false,
      message: `the record set is not ddnsd's: no owner TXT record of DDNS_OWNER_ID "a" at "${TXT}" claims it, and Testing replaces a whole set at once, so ddnsd leaves it exactly as it is; add the TXT record "heritage=ddnsd,owner=a" there to hand it over (or set DDNS_OWNER_ADOPT=true), or delete it`,
    },
    {
      name: "a set another owner's TXT claims is never written, nor adopted",
      a: ["192.0.2.50"],
      txt: ['"heritage=ddnsd,owner=b"'],
      adopt: true,
      message: `the record set is another daemon's: an owner TXT record of another owner ("b") at "${TXT}" claims it, and Testing replaces a whole set at once, so ddnsd leaves it exactly as it is; give each daemon its own name, or delete that TXT record to hand the set over`,
    },
    {
      name: "a name another owner's TXT claims stays without a set",
      a: [],
      txt: ["heritage=ddnsd,owner=b"],
      adopt: false,
      message: `the record set is another daemon's: an owner TXT record of another owner ("b") at "${TXT}" claims it, and Testing replaces a whole set at once, so ddnsd leaves it exactly as it is; give each daemon its own name, or delete that TXT record to hand the set over`,
    },
  ])("$name", async ({ a: values, txt, adopt, message }) => {
    const s = service({ maxPerWrite: 20 });
    if (values.length > 0) s.put(NAME, "A", values);
    if (txt) s.put(TXT, "TXT", txt);
    // The set's addresses show in /status as left alone (`leftAlone`), each with why.
    const leftAlone = values.map((address) => ({ address, why: "no owner TXT record of DDNS_OWNER_ID names it" }));
    expect(await s.run(a("203.0.113.7", { ownerAdopt: adopt }))).toEqual({ ok: false, request: expect.anything(), kind: "config", message, ...(values.length > 0 ? { leftAlone } : {}) });
    expect(s.calls).toEqual([]);
  });

  it("an owner TXT set that cannot be written leaves the name without a set", async () => {
    const s = service({ refuseTxt: { kind: "transient", reason: "Testing answered HTTP 500" } });
    expect(await s.run(a("203.0.113.7"))).toMatchObject({ ok: false, kind: "transient", message: "while writing the record set, Testing answered HTTP 500" });
    expect(s.calls).toEqual([`${TXT} TXT heritage=ddnsd,owner=a`]);
    expect(s.sets.has(`${NAME} A`)).toBe(false);
  });

  it("keeps other texts of the owner TXT set when it adds its own", async () => {
    const s = service({ maxPerWrite: 20 });
    s.put(TXT, "TXT", ["note by hand"]);
    await s.run(a("203.0.113.7"));
    expect(s.sets.get(`${TXT} TXT`)?.values).toEqual(["note by hand", "heritage=ddnsd,owner=a"]);
  });
});

describe("adoption on the set-replacing template (DDNS_OWNER_ADOPT)", () => {
  it.each<{ name: string; held: string; writes: string[]; outcome: string }>([
    { name: "a set no owner TXT claims, holding another address: adopted, its TXT and the new address in one write", held: "192.0.2.50", writes: [`${TXT} TXT heritage=ddnsd,owner=a; ${NAME} A 203.0.113.7`], outcome: "updated" },
    { name: "a set that already holds the address: only its owner TXT is written", held: "203.0.113.7", writes: [`${TXT} TXT heritage=ddnsd,owner=a`], outcome: "unchanged" },
  ])("$name", async ({ held, writes, outcome }) => {
    const s = service({ maxPerWrite: 20 });
    s.put(NAME, "A", [held]);
    expect(await s.run(a("203.0.113.7", { ownerAdopt: true }))).toMatchObject({ ok: true, outcome });
    expect(s.calls).toEqual(writes);
    expect(s.logged).toEqual([`Adopted the A record ${NAME} (${held}) for DDNS_OWNER_ID "a"`]);
    expect(await s.run(a("203.0.113.7", { ownerAdopt: true }))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(s.logged).toHaveLength(1);
  });

  it("a dry run says it would adopt and writes nothing", async () => {
    const s = service({ maxPerWrite: 20 });
    s.put(NAME, "A", ["192.0.2.50"]);
    expect(await s.run(a("203.0.113.7", { ownerAdopt: true }), true)).toMatchObject({ ok: true, outcome: "planned" });
    expect(s.calls).toEqual([]);
    expect(s.logged).toEqual([`Would adopt the A record ${NAME} (192.0.2.50) for DDNS_OWNER_ID "a"`]);
  });
});
