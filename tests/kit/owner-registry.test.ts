import { describe, expect, it } from "bun:test";
import { adoptable, claimsOf, leftovers, markOwned, ownerName, ownerText, parseOwnerText } from "../../src/providers/kit/owner-registry.ts";
import { planRecordSet, type HeldRecord } from "../../src/providers/kit/record-plan.ts";
import { mine } from "../../src/providers/kit/record-delete.ts";
import type { RecordRequest } from "../../src/providers/kit/types.ts";

const req = (extra: Partial<RecordRequest> = {}): RecordRequest => ({ name: "home.example.com", type: "A", content: "203.0.113.7", ownerId: "a", ...extra });
const rec = (id: string, content: string): HeldRecord => ({ id, content, ttl: 1800 });
const txt = (id: string, content: string): HeldRecord => ({ id, content, ttl: 1800 });

describe("the owner TXT registry (DDNS_OWNER_ID)", () => {
  it.each([
    { name: "an A record's owner name is _ddnsd-a. before it", record: "home.example.com", type: "A" as const, expected: "_ddnsd-a.home.example.com" },
    { name: "an AAAA record's owner name is _ddnsd-aaaa. before it", record: "home.example.com", type: "AAAA" as const, expected: "_ddnsd-aaaa.home.example.com" },
    { name: "at the apex the owner name stays inside the zone", record: "example.com", type: "A" as const, expected: "_ddnsd-a.example.com" },
    { name: "a wildcard's owner name spells the star as _wildcard", record: "*.example.com", type: "A" as const, expected: "_ddnsd-a._wildcard.example.com" },
  ])("$name", ({ record, type, expected }) => {
    expect(ownerName(record, type)).toBe(expected);
  });

  it.each([
    { name: "reads the text ddnsd writes", text: ownerText("site-a", "123"), expected: { owner: "site-a", record: "123" } },
    { name: "reads it with the quotes some APIs return", text: '"heritage=ddnsd,owner=b,record=9"', expected: { owner: "b", record: "9" } },
    { name: "ignores another tool's TXT", text: "heritage=external-dns,external-dns/owner=default", expected: undefined },
    { name: "reads a set's owner text, which names no record (set-replacing providers)", text: "heritage=ddnsd,owner=a", expected: { owner: "a" } },
    { name: "reads a text split into several character strings", text: '"heritage=ddnsd,owner=a," "record=7"', expected: { owner: "a", record: "7" } },
    { name: "ignores free text", text: "v=spf1 -all", expected: undefined },
  ])("$name", ({ text, expected }) => {
    expect(parseOwnerText(text)).toEqual(expected);
  });

  it("writes heritage, owner and the record it vouches for", () => {
    expect(ownerText("a", "42")).toBe("heritage=ddnsd,owner=a,record=42");
  });

  it("marks as owned exactly the records an owner TXT of this owner names", () => {
    const held = [rec("1", "203.0.113.7"), rec("2", "198.51.100.8"), rec("3", "192.0.2.50")];
    const marked = markOwned("a", held, claimsOf([txt("t1", ownerText("a", "1")), txt("t2", ownerText("b", "2")), txt("t3", ownerText("a", "99")), txt("t4", ownerText("a"))]));
    expect(marked.map((r) => [r.id, r.owned, r.registry?.map((t) => t.id)])).toEqual([["1", true, ["t1"]], ["2", false, undefined], ["3", false, undefined]]);
  });

  it("finds as leftovers only this owner's TXT records naming an id the name no longer holds", () => {
    const held = [rec("1", "203.0.113.7"), rec("2", "198.51.100.8")];
    const claims = claimsOf([txt("t1", ownerText("a", "1")), txt("t2", ownerText("b", "77")), txt("t3", ownerText("a", "99")), txt("t4", "v=spf1 -all")]);
    expect(leftovers("a", held, claims).map((t) => t.id)).toEqual(["t3"]);
  });

  it.each<{ name: string; owned: boolean; expected: string[] }>([
    { name: "adopts the records no owner TXT of anyone names", owned: false, expected: ["3"] },
    { name: "adopts nothing once this owner owns one of them", owned: true, expected: [] },
  ])("$name", ({ owned, expected }) => {
    const claims = claimsOf([txt("t1", ownerText(owned ? "a" : "c", "1")), txt("t2", ownerText("b", "2"))]);
    const held = markOwned("a", [rec("1", "203.0.113.7"), rec("2", "198.51.100.8"), rec("3", "192.0.2.50")], claims);
    expect(adoptable(held, claims).map((r) => r.id)).toEqual(expected);
  });
});

describe("the record-set planner with DDNS_OWNER_ID", () => {
  const owned = (id: string, content: string): HeldRecord => ({ ...rec(id, content), owned: true });
  const other = (id: string, content: string): HeldRecord => ({ ...rec(id, content), owned: false });
  type Expected = { create: boolean; keep: string | undefined; update: boolean; deletes: string[]; foreign: string[] };
  it.each<{ name: string; records: HeldRecord[]; expected: Expected }>([
    { name: "a name with nothing: creates its own", records: [], expected: { create: true, keep: undefined, update: false, deletes: [], foreign: [] } },
    { name: "a hand-made record without owner TXT: left alone, its own created beside it", records: [other("h", "192.0.2.50")], expected: { create: true, keep: undefined, update: false, deletes: [], foreign: ["h"] } },
    { name: "another owner's record, even holding the very address: left alone", records: [other("b", "203.0.113.7")], expected: { create: true, keep: undefined, update: false, deletes: [], foreign: ["b"] } },
    { name: "its own record with an old address: updated, the others untouched", records: [other("h", "192.0.2.50"), owned("a", "198.51.100.1"), other("b", "198.51.100.8")], expected: { create: false, keep: "a", update: true, deletes: [], foreign: ["h", "b"] } },
    { name: "duplicates among its own only: deleted", records: [owned("a1", "198.51.100.1"), owned("a2", "203.0.113.7"), other("h", "192.0.2.50")], expected: { create: false, keep: "a2", update: false, deletes: ["a1"], foreign: ["h"] } },
  ])("$name", ({ records, expected }) => {
    const plan = planRecordSet(req(), records);
    expect({ create: plan.create !== undefined, keep: plan.keep?.id, update: plan.update !== undefined, deletes: plan.deletes.map((r) => r.id), foreign: plan.foreign.map((r) => r.id) }).toEqual(expected);
  });

  it("counts a record read without the registry (no mark) as not its own", () => {
    expect(planRecordSet(req(), [rec("x", "203.0.113.7")]).foreign.map((r) => r.id)).toEqual(["x"]);
  });

  it("delete on stop takes only its own record holding the published address", () => {
    expect(mine(req(), [owned("a", "203.0.113.7"), other("b", "203.0.113.7"), rec("h", "203.0.113.7")]).map((r) => r.id)).toEqual(["a"]);
  });
});
