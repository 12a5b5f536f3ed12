import { describe, expect, it } from "bun:test";
import { needsWrite, planOutcome, planRecordSet, rrsetMatches, type HeldRecord, type RecordPlan } from "../../src/providers/kit/record-plan.ts";
import type { RecordRequest } from "../../src/providers/kit/types.ts";

const req = (extra: Partial<RecordRequest> = {}): RecordRequest => ({ name: "home.example.com", type: "A", content: "203.0.113.7", ...extra });
const held = (id: string, content: string, extra: Partial<HeldRecord> = {}): HeldRecord => ({ id, content, ttl: 300, proxied: false, comment: "", ...extra });

describe("the record-set planner", () => {
  it.each([
    { name: "creates when nothing is held", request: req(), records: [], expect: { create: true, update: undefined, deletes: [] as string[] } },
    { name: "writes nothing when the one record holds the address", request: req(), records: [held("a", "203.0.113.7")], expect: { create: false, update: undefined, deletes: [] } },
    { name: "updates only the content, keeping ttl, proxied and comment under auto", request: req(), records: [held("a", "198.51.100.1", { ttl: 120, proxied: true, comment: "mine" })], expect: { create: false, update: { content: "203.0.113.7" }, deletes: [] } },
    { name: "keeps the record that already holds the address and deletes the duplicates", request: req(), records: [held("a", "198.51.100.1"), held("b", "203.0.113.7"), held("c", "198.51.100.2")], expect: { create: false, update: undefined, deletes: ["a", "c"] } },
    { name: "never writes an existing record just for its TTL or proxy flag", request: req({ ttl: 60, proxied: true }), records: [held("a", "203.0.113.7", { ttl: 300 })], expect: { create: false, update: undefined, deletes: [] } },
    { name: "writes the comment along with an address change", request: req({ comment: "ddnsd" }), records: [held("a", "198.51.100.1", { comment: "old" })], expect: { create: false, update: { content: "203.0.113.7", comment: "ddnsd" }, deletes: [] } },
    { name: "does not write for a comment alone", request: req({ comment: "ddnsd" }), records: [held("a", "203.0.113.7", { comment: "old" })], expect: { create: false, update: undefined, deletes: [] } },
    { name: "treats differently spelled IPv6 addresses as equal", request: req({ type: "AAAA", content: "2001:db8::1" }), records: [held("a", "2001:0db8:0:0::1")], expect: { create: false, update: undefined, deletes: [] } },
  ])("$name", ({ request, records, expect: want }) => {
    const plan = planRecordSet(request, records);
    expect(plan.create !== undefined).toBe(want.create);
    expect(plan.update).toEqual(want.update);
    expect(plan.deletes.map((d) => d.id)).toEqual([...want.deletes]);
    expect(plan.previous).toEqual(records.map((r) => r.content));
  });

  it.each<{ name: string; held: Array<{ id: string; content: string }>; want: string; expected: Omit<RecordPlan, "request" | "previous" | "foreign"> }>([
    { name: "nothing held: create", held: [], want: "203.0.113.1", expected: { create: { name: "www.example.com", type: "A", content: "203.0.113.1" }, deletes: [] } },
    { name: "right already", held: [{ id: "a", content: "203.0.113.1" }], want: "203.0.113.1", expected: { deletes: [], keep: { id: "a", content: "203.0.113.1" } } },
    { name: "wrong: update it", held: [{ id: "a", content: "192.0.2.1" }], want: "203.0.113.1", expected: { update: { content: "203.0.113.1" }, deletes: [], keep: { id: "a", content: "192.0.2.1" } } },
    { name: "duplicates, one right: keep it", held: [{ id: "a", content: "192.0.2.1" }, { id: "b", content: "203.0.113.1" }], want: "203.0.113.1", expected: { deletes: [{ id: "a", content: "192.0.2.1" }], keep: { id: "b", content: "203.0.113.1" } } },
    { name: "duplicates, none right: update the first", held: [{ id: "a", content: "192.0.2.1" }, { id: "b", content: "192.0.2.2" }], want: "203.0.113.1", expected: { update: { content: "203.0.113.1" }, deletes: [{ id: "b", content: "192.0.2.2" }], keep: { id: "a", content: "192.0.2.1" } } },
  ])("which record it keeps: $name", ({ held, want, expected }) => {
    const plan = planRecordSet({ name: "www.example.com", type: "A", content: want }, held);
    expect(plan).toEqual({ request: { name: "www.example.com", type: "A", content: want }, previous: held.map((h) => h.content), foreign: [], ...expected });
  });

  it("carries what the operator set into a new record, and nothing else", () => {
    expect(planRecordSet(req({ ttl: "auto" }), []).create).toEqual({ name: "home.example.com", type: "A", content: "203.0.113.7" });
    expect(planRecordSet(req({ ttl: 120, proxied: true, comment: "x" }), []).create).toEqual({ name: "home.example.com", type: "A", content: "203.0.113.7", ttl: 120, proxied: true, comment: "x" });
  });

  it.each([
    { name: "nothing to do", records: [held("a", "203.0.113.7")], dryRun: false, outcome: "unchanged" },
    { name: "a create", records: [], dryRun: false, outcome: "created" },
    { name: "an update", records: [held("a", "198.51.100.1")], dryRun: false, outcome: "updated" },
    { name: "a dry run of an update", records: [held("a", "198.51.100.1")], dryRun: true, outcome: "planned" },
  ])("reports $name as $outcome", ({ records, dryRun, outcome }) => {
    const plan = planRecordSet(req(), records);
    expect(planOutcome(plan, dryRun)).toBe(outcome as ReturnType<typeof planOutcome>);
    expect(needsWrite(plan)).toBe(outcome !== "unchanged");
  });

  it.each([
    { name: "one equal value", values: ["203.0.113.7"], ttl: 300, request: req(), matches: true },
    { name: "two values", values: ["203.0.113.7", "198.51.100.1"], ttl: 300, request: req(), matches: false },
    { name: "another value", values: ["198.51.100.1"], ttl: 300, request: req(), matches: false },
    { name: "an explicit TTL that differs", values: ["203.0.113.7"], ttl: 300, request: req({ ttl: 60 }), matches: false },
    { name: "an explicit TTL that is equal", values: ["203.0.113.7"], ttl: 60, request: req({ ttl: 60 }), matches: true },
  ])("an RRset with $name matches: $matches", ({ values, ttl, request, matches }) => {
    expect(rrsetMatches(request, { values, ttl })).toBe(matches);
  });
});

describe("the record-set planner with DDNS_MANAGED_RECORDS_COMMENT_REGEX", () => {
  const mine = (extra: Partial<RecordRequest> = {}) => req({ comment: "ddnsd:a", managedComment: /^ddnsd:a$/, ...extra });
  it.each([
    { name: "creates its own record beside records that are not its own", records: [held("b", "198.51.100.2", { comment: "ddnsd:b" }), held("h", "192.0.2.9", { comment: "" })], create: true, update: undefined, deletes: [] as string[], foreign: ["b", "h"] },
    { name: "updates its own record and leaves the other daemon's", records: [held("b", "198.51.100.2", { comment: "ddnsd:b" }), held("a", "198.51.100.1", { comment: "ddnsd:a" })], create: false, update: { content: "203.0.113.7" }, deletes: [], foreign: ["b"] },
    { name: "never keeps a stranger's record that already holds the address", records: [held("h", "203.0.113.7", { comment: "by hand" })], create: true, update: undefined, deletes: [], foreign: ["h"] },
    { name: "deletes duplicates only among its own records", records: [held("a1", "198.51.100.1", { comment: "ddnsd:a" }), held("h", "198.51.100.3"), held("a2", "203.0.113.7", { comment: "ddnsd:a" })], create: false, update: undefined, deletes: ["a1"], foreign: ["h"] },
    { name: "writes nothing when its own record is right, whatever the others hold", records: [held("a", "203.0.113.7", { comment: "ddnsd:a" }), held("b", "198.51.100.2", { comment: "ddnsd:b" })], create: false, update: undefined, deletes: [], foreign: ["b"] },
    { name: "treats a record without a comment as a stranger's", records: [{ id: "h", content: "198.51.100.4" }], create: true, update: undefined, deletes: [], foreign: ["h"] },
  ])("$name", ({ records, create, update, deletes, foreign }) => {
    const plan = planRecordSet(mine(), records);
    expect(plan.create !== undefined).toBe(create);
    if (create) expect(plan.create).toEqual({ name: "home.example.com", type: "A", content: "203.0.113.7", comment: "ddnsd:a" });
    expect(plan.update).toEqual(update);
    expect(plan.deletes.map((d) => d.id)).toEqual([...deletes]);
    expect(plan.foreign.map((d) => d.id)).toEqual([...foreign]);
    const strangers: readonly string[] = foreign;
    expect(plan.previous).toEqual(records.filter((r) => !strangers.includes(r.id)).map((r) => r.content));
  });

  it("matches the regex anywhere in the comment, as JavaScript's RegExp test does", () => {
    const plan = planRecordSet(req({ managedComment: /ddnsd/ }), [held("x", "198.51.100.1", { comment: "managed by ddnsd on nas" })]);
    expect(plan.keep?.id).toBe("x");
    expect(plan.foreign).toEqual([]);
  });
});
