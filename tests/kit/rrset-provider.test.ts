import { describe, expect, it } from "bun:test";
import type { Answer, Problem } from "../../src/providers/kit/answer.ts";
import { createRrsetProvider, type Rrset, type RrsetApi, type RrsetChange } from "../../src/providers/kit/rrset-provider.ts";
import { createZoneFinder, type Zone } from "../../src/providers/kit/zone-finder.ts";
import type { RecordRequest } from "../../src/providers/kit/types.ts";
import { a } from "../providers/test-requests.ts";

/** An in-memory set store behind the RrsetApi seam: the template's logic, without a wire protocol. */
type Fault = { op: "read" | "write"; problem: Problem; times?: number };

function service(opts: { zones?: string[]; maxPerWrite?: number; refuse?: (change: RrsetChange) => Problem | undefined; confirm?: Array<"done" | "pending"> } = {}) {
  const zones = new Map<string, Map<string, Rrset>>((opts.zones ?? ["example.com"]).map((z) => [z, new Map()]));
  const calls: string[] = [];
  const faults: Fault[] = [];
  const fault = (op: Fault["op"]): Problem | undefined => {
    const f = faults.find((x) => x.op === op);
    if (!f) return undefined;
    if ((f.times = (f.times ?? 1) - 1) <= 0) faults.splice(faults.indexOf(f), 1);
    return f.problem;
  };
  const confirms = [...(opts.confirm ?? [])];
  const api: RrsetApi<Zone, string> = {
    service: "Testing",
    zoneFix: "add the zone",
    defaultTtl: 300,
    ...(opts.maxPerWrite ? { maxPerWrite: opts.maxPerWrite } : {}),
    zones: createZoneFinder<Zone>({ list: async () => (calls.push("list"), { ok: true, value: [...zones.keys()].map((name) => ({ name })) }), now: () => 0 }),
    async read(zone, name, type) {
      calls.push(`read ${zone.name} ${name} ${type}`);
      const p = fault("read");
      if (p) return { ok: false, problem: p };
      const set = zones.get(zone.name)?.get(`${name} ${type}`);
      return { ok: true, value: set && { ...set, values: [...set.values] } };
    },
    async write(zone, changes): Promise<Answer<string | void>> {
      calls.push(`write ${zone.name} ${changes.map((c) => `${c.name} ${c.type} ${c.values.join(",")} ttl=${c.ttl}${c.comment ? ` comment=${c.comment}` : ""}`).join("; ")}`);
      const p = fault("write") ?? changes.map((c) => opts.refuse?.(c)).find(Boolean);
      if (p) return { ok: false, problem: p };
      for (const c of changes) zones.get(zone.name)!.set(`${c.name} ${c.type}`, { values: c.values, ttl: c.ttl });
      return { ok: true, value: opts.confirm ? "change-1" : undefined };
    },
    ...(opts.confirm ? { confirm: async () => (calls.push("confirm"), { ok: true as const, value: confirms.shift() ?? "pending" }) } : {}),
  };
  const put = (zone: string, name: string, type: string, set: Rrset) => zones.get(zone)!.set(`${name} ${type}`, set);
  return { api, calls, faults, zones, put };
}

const aaaa = (name: string, content: string): RecordRequest => ({ name, type: "AAAA", content });
const run = (api: RrsetApi<Zone, string>, requests: RecordRequest[], o: { dryRun?: boolean; signal?: AbortSignal } = {}) =>
  createRrsetProvider(api, { id: "testing", sleep: async () => true, confirmEveryMs: 10, confirmWithinMs: 20 })
    .setRecords(requests, { signal: o.signal ?? AbortSignal.timeout(2000), dryRun: o.dryRun ?? false });
const writes = (calls: string[]) => calls.filter((c) => c.startsWith("write"));
const refused: Problem = { kind: "config", reason: "the service refused the change" };

describe("the set-replacing template", () => {
  it("writes every changed set of one zone in one request, and none that already holds the address", async () => {
    const s = service({ zones: ["example.com", "example.net"], maxPerWrite: 10 });
    s.put("example.com", "same.example.com", "A", { values: ["203.0.113.9"], ttl: 60 });
    const results = await run(s.api, [a("a.example.com", "203.0.113.1"), aaaa("a.example.com", "2001:db8::1"), a("same.example.com", "203.0.113.9"), a("b.example.net", "203.0.113.2")]);
    expect(results.map((r) => (r.ok ? r.outcome : r.message))).toEqual(["created", "created", "unchanged", "created"]);
    expect(writes(s.calls)).toEqual([
      "write example.com a.example.com A 203.0.113.1 ttl=300; a.example.com AAAA 2001:db8::1 ttl=300",
      "write example.net b.example.net A 203.0.113.2 ttl=300",
    ]);
  });

  it.each([
    { name: "maxPerWrite unset: one set per request", maxPerWrite: undefined, expected: 3 },
    { name: "maxPerWrite 2: two requests for three sets", maxPerWrite: 2, expected: 2 },
  ])("cuts the writes by $name", async ({ maxPerWrite, expected }) => {
    const s = service(maxPerWrite ? { maxPerWrite } : {});
    await run(s.api, [a("a.example.com", "203.0.113.1"), a("b.example.com", "203.0.113.2"), a("c.example.com", "203.0.113.3")]);
    expect(writes(s.calls)).toHaveLength(expected);
  });

  it.each([
    { name: "auto keeps the existing TTL", request: a("h.example.com", "203.0.113.5"), held: 3600, written: "ttl=3600" },
    { name: "auto gives a new set the default", request: a("h.example.com", "203.0.113.5"), held: undefined, written: "ttl=300" },
    { name: "a number replaces the TTL", request: a("h.example.com", "203.0.113.5", { ttl: 120 }), held: 3600, written: "ttl=120" },
    { name: "the comment goes along", request: a("h.example.com", "203.0.113.5", { comment: "ddnsd" }), held: undefined, written: "ttl=300 comment=ddnsd" },
  ])("TTL and comment: $name", async ({ request, held, written }) => {
    const s = service();
    if (held) s.put("example.com", "h.example.com", "A", { values: ["192.0.2.1"], ttl: held });
    await run(s.api, [request]);
    expect(writes(s.calls)).toEqual([`write example.com h.example.com A 203.0.113.5 ${written}`]);
  });

  it("rewrites a set that holds the address with another TTL than the one set, and reports previous values canonical and sorted", async () => {
    const s = service();
    s.put("example.com", "h.example.com", "AAAA", { values: ["2001:DB8:0::2", "2001:db8::1"], ttl: 60 });
    s.put("example.com", "t.example.com", "A", { values: ["203.0.113.5"], ttl: 60 });
    const results = await run(s.api, [aaaa("h.example.com", "2001:db8::1"), a("t.example.com", "203.0.113.5", { ttl: 120 })]);
    expect(results).toMatchObject([{ ok: true, outcome: "updated", previous: ["2001:db8::1", "2001:db8::2"] }, { ok: true, outcome: "updated", previous: ["203.0.113.5"] }]);
  });

  it("plans without writing in a dry run", async () => {
    const s = service();
    expect(await run(s.api, [a("h.example.com", "203.0.113.5")], { dryRun: true })).toMatchObject([{ ok: true, outcome: "planned", previous: [] }]);
    expect(writes(s.calls)).toEqual([]);
  });

  it("reports a round cancelled before it began per record, without asking the service anything", async () => {
    const s = service();
    const controller = new AbortController();
    controller.abort();
    const results = await run(s.api, [a("h.example.com", "203.0.113.5"), aaaa("h.example.com", "2001:db8::5")], { signal: controller.signal });
    expect(results.map((r) => !r.ok && `${r.kind}: ${r.message}`)).toEqual([
      "transient: the round was cancelled before this record was reached",
      "transient: the round was cancelled before this record was reached",
    ]);
    expect(s.calls).toEqual([]);
  });

  it.each([
    { name: "a configuration refusal", problem: refused },
    { name: "a permission refusal (a key that may change some names only)", problem: { kind: "auth" as const, reason: "the key may not change this name" } },
  ])("retries a multi-set write refused as a whole set by set: $name", async ({ problem }) => {
    const s = service({ maxPerWrite: 10, refuse: (c) => (c.name === "bad.example.com" ? problem : undefined) });
    const results = await run(s.api, [a("good.example.com", "203.0.113.1"), a("bad.example.com", "203.0.113.2")]);
    expect(results).toMatchObject([{ ok: true, outcome: "created" }, { ok: false, kind: problem.kind, message: `while writing the record set, ${problem.reason}` }]);
    expect(writes(s.calls)).toHaveLength(3);
  });

  it.each([
    { name: "a slow-down", problem: { kind: "rate-limited" as const, reason: "slow down", retryAfterMs: 5000 }, unconfirmed: undefined },
    { name: "a lost answer", problem: { kind: "transient" as const, reason: "no answer", mayHaveArrived: true }, unconfirmed: true },
  ])("does not split a multi-set write after $name", async ({ problem, unconfirmed }) => {
    const s = service({ maxPerWrite: 10 });
    s.faults.push({ op: "write", problem });
    const results = await run(s.api, [a("a.example.com", "203.0.113.1"), a("b.example.com", "203.0.113.2")]);
    expect(writes(s.calls)).toHaveLength(1);
    for (const r of results) expect(r).toMatchObject({ ok: false, kind: problem.kind, message: `while writing the record set, ${problem.reason}`, ...(unconfirmed ? { unconfirmed } : {}) });
  });

  it.each([
    { name: "a read", op: "read" as const },
    { name: "a write", op: "write" as const },
  ])("forgets a zone the service no longer knows after $name and finds the name's zone again, once", async ({ op }) => {
    const s = service({ zones: ["example.com", "lab.example.com"] });
    await run(s.api, [a("warm.lab.example.com", "203.0.113.1")]); // the finder now knows lab.example.com
    s.zones.delete("lab.example.com");
    s.faults.push({ op, problem: { kind: "config", reason: "no such zone", tag: "stale-zone" } });
    const results = await run(s.api, [a("nas.lab.example.com", "203.0.113.7")]);
    expect(results).toMatchObject([{ ok: true, outcome: "created" }]);
    expect(s.zones.get("example.com")?.get("nas.lab.example.com A")).toEqual({ values: ["203.0.113.7"], ttl: 300 });
    expect(s.calls.filter((c) => c === "list")).toHaveLength(2);
  });

  it("reports a zone that is stale again after it was found anew, without a third try", async () => {
    const s = service();
    s.faults.push({ op: "read", problem: { kind: "config", reason: "no such zone", tag: "stale-zone" }, times: 5 });
    const results = await run(s.api, [a("h.example.com", "203.0.113.7")]);
    expect(results).toMatchObject([{ ok: false, kind: "config", message: "while reading the record set, no such zone" }]);
    expect(s.calls.filter((c) => c.startsWith("read"))).toHaveLength(2);
  });

  it.each([
    { name: "the zone lookup", fail: (s: ReturnType<typeof service>) => void (s.api.zones.find = async () => ({ ok: false, notFound: false, problem: { kind: "transient", reason: "the zone list did not come" } })), message: "while looking up the zone, the zone list did not come", unconfirmed: undefined },
    { name: "the read", fail: (s: ReturnType<typeof service>) => void s.faults.push({ op: "read", problem: { kind: "auth", reason: "the key may not read" } }), message: "while reading the record set, the key may not read", unconfirmed: undefined },
    { name: "the write", fail: (s: ReturnType<typeof service>) => void s.faults.push({ op: "write", problem: { kind: "transient", reason: "no answer", mayHaveArrived: true } }), message: "while writing the record set, no answer", unconfirmed: true },
    { name: "the confirmation", fail: (s: ReturnType<typeof service>) => void (s.api.confirm = async () => ({ ok: false, problem: { kind: "transient", reason: "the status did not come" } })), message: "while waiting for the change to be applied, the status did not come", unconfirmed: true },
  ])("names the step that failed: $name", async ({ fail, message, unconfirmed }) => {
    const s = service({ confirm: ["done"] });
    fail(s);
    const [result] = await run(s.api, [a("h.example.com", "203.0.113.7")]);
    expect(result).toEqual({ ok: false, request: a("h.example.com", "203.0.113.7"), kind: expect.any(String), message, ...(unconfirmed ? { unconfirmed } : {}) });
  });

  it("names every suffix tried when no zone holds the name", async () => {
    const s = service();
    expect(await run(s.api, [a("h.example.org", "203.0.113.7")])).toMatchObject([
      { ok: false, kind: "config", message: 'no Testing zone holds "h.example.org" (tried "h.example.org", "example.org"); add the zone' },
    ]);
  });

  it.each([
    { name: "applied within the wait", confirm: ["pending", "done"] as Array<"done" | "pending">, expected: { ok: true, outcome: "created" } },
    { name: "still pending at the deadline", confirm: [] as Array<"done" | "pending">, expected: { ok: false, unconfirmed: true, message: "while waiting for the change to be applied, Testing accepted the change but did not report it applied in time" } },
  ])("polls an asynchronous change: $name", async ({ confirm, expected }) => {
    const s = service({ confirm });
    expect(await run(s.api, [a("h.example.com", "203.0.113.7")])).toMatchObject([expected]);
  });

  it("polls an asynchronous change with its own timer when the provider passes no sleep", async () => {
    const s = service({ confirm: ["pending", "pending", "done"] });
    const provider = createRrsetProvider(s.api, { id: "testing", confirmEveryMs: 5, confirmWithinMs: 1000 });
    const results = await provider.setRecords([a("h.example.com", "203.0.113.7")], { signal: AbortSignal.timeout(2000), dryRun: false });
    expect(results).toMatchObject([{ ok: true, outcome: "created" }]);
    expect(s.calls.filter((c) => c === "confirm")).toHaveLength(3);
  });

  it.each([
    { name: "a change the service reports failed is a failure, not 'could not confirm'", mayHaveArrived: false, unconfirmed: false },
    { name: "a status read that failed leaves the outcome unknown ('could not confirm')", mayHaveArrived: undefined, unconfirmed: true },
  ])("$name", async ({ mayHaveArrived, unconfirmed }) => {
    const s = service({ confirm: [] });
    s.api.confirm = async () => ({ ok: false, problem: { kind: "transient", reason: "the change failed", ...(mayHaveArrived === undefined ? {} : { mayHaveArrived }) } });
    const [result] = await run(s.api, [a("h.example.com", "203.0.113.7")]);
    expect(result).toMatchObject({ ok: false, kind: "transient", message: "while waiting for the change to be applied, the change failed" });
    expect(!result!.ok && (result!.unconfirmed ?? false)).toBe(unconfirmed);
  });

  it("gives a new set the zone's own default TTL when the API names one per zone", async () => {
    const s = service({ zones: ["example.com", "example.net"] });
    const api: RrsetApi<Zone, string> = { ...s.api, defaultTtl: (zone) => (zone.name === "example.net" ? 60 : 3600) };
    await run(api, [a("h.example.com", "203.0.113.1"), a("h.example.net", "203.0.113.2")]);
    expect(writes(s.calls).sort()).toEqual(["write example.com h.example.com A 203.0.113.1 ttl=3600", "write example.net h.example.net A 203.0.113.2 ttl=60"]);
  });

  it("turns a throw into an internal error for that zone's records only", async () => {
    const s = service({ zones: ["example.com", "example.net"] });
    const read = s.api.read.bind(s.api);
    s.api.read = async (zone, name, type, signal) => (zone.name === "example.net" ? Promise.reject(new Error("boom")) : read(zone, name, type, signal));
    const results = await run(s.api, [a("h.example.com", "203.0.113.7"), a("h.example.net", "203.0.113.8")]);
    expect(results).toMatchObject([{ ok: true, outcome: "created" }, { ok: false, kind: "transient", message: 'internal error "boom"; please report this as a ddnsd bug' }]);
  });
});

describe("the set-replacing template with DDNS_MANAGED_RECORDS_COMMENT_REGEX", () => {
  const mine = (content: string) => a("home.example.com", content, { comment: "ddnsd:a", managedComment: /^ddnsd:a$/ });
  const REASON = "the record set is not ddnsd's: its comment \"by hand\" does not match DDNS_MANAGED_RECORDS_COMMENT_REGEX, and Testing replaces a whole set at once, so ddnsd leaves it exactly as it is; give the set a comment the regex matches to hand it over, or delete it";
  it.each([
    { name: "replaces a set whose comment matches", held: { values: ["198.51.100.1"], ttl: 60, comment: "ddnsd:a" }, outcome: "updated", written: true },
    { name: "creates the set when there is none", held: undefined, outcome: "created", written: true },
    { name: "never writes a set whose comment does not match, and says why", held: { values: ["198.51.100.1"], ttl: 60, comment: "by hand" }, outcome: REASON, written: false },
    { name: "never writes a set without a comment", held: { values: ["198.51.100.1"], ttl: 60 }, outcome: REASON.replace("its comment \"by hand\" does", "it has no comment, which does"), written: false },
  ])("$name", async ({ held, outcome, written }) => {
    const s = service();
    if (held) s.put("example.com", "home.example.com", "A", { ...held, values: [...held.values] });
    const [result] = await run(s.api, [mine("203.0.113.7")]);
    expect(result!.ok ? result!.outcome : result!.message).toBe(outcome);
    if (!result!.ok) expect(result!.kind).toBe("config");
    expect(writes(s.calls)).toEqual(written ? ["write example.com home.example.com A 203.0.113.7 ttl=" + (held?.ttl ?? 300) + " comment=ddnsd:a"] : []);
  });
});
