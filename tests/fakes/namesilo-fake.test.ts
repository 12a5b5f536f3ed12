import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeNamesilo, type FakeNamesilo } from "./namesilo/fake-namesilo.ts";

/** The NameSilo fake is as strict as its header says: the key, version and type in the query, reply codes, rr* checks. */
const KEY = "0123456789abcdef";
let fake: FakeNamesilo;
beforeAll(async () => {
  fake = await startFakeNamesilo({ keys: [KEY], zones: ["example.com"] });
});
afterAll(() => fake.stop());

async function call(operation: string, params: Record<string, string>, base: Record<string, string> = { version: "1", type: "json", key: KEY }) {
  const response = await fetch(`${fake.url}/${operation}?${new URLSearchParams({ ...base, ...params })}`);
  return { status: response.status, reply: ((await response.json()) as { reply: Record<string, unknown> }).reply };
}
const www = { domain: "example.com", rrtype: "A", rrhost: "www", rrvalue: "192.0.2.1" };

describe("the NameSilo fake", () => {
  it.each<{ name: string; base: Record<string, string>; code: number }>([
    { name: "no key", base: { version: "1", type: "json" }, code: 109 },
    { name: "a wrong key", base: { version: "1", type: "json", key: "wrong" }, code: 110 },
    { name: "no version", base: { type: "json", key: KEY }, code: 102 },
    { name: "XML asked for", base: { version: "1", type: "xml", key: KEY }, code: 105 },
  ])("refuses a create with $name in an HTTP 200 reply (code $code)", async ({ base, code }) => {
    expect(await call("dnsAddRecord", www, base)).toMatchObject({ status: 200, reply: { code } });
    expect(fake.read("www.example.com", "A")).toEqual([]);
  });

  it.each([
    { name: "a TTL below 3600", params: { ...www, rrttl: "300" }, code: 280 },
    { name: "an IPv6 address in an A record", params: { ...www, rrvalue: "2001:db8::1" }, code: 280 },
    { name: "an unknown parameter", params: { ...www, comment: "x" }, code: 108 },
    { name: "a domain not in the account", params: { ...www, domain: "example.org" }, code: 200 },
    { name: "no rrvalue", params: { domain: "example.com", rrtype: "A", rrhost: "www" }, code: 108 },
  ])("refuses $name", async ({ params, code }) => {
    expect((await call("dnsAddRecord", params)).reply.code).toBe(code);
    expect(fake.writes()).toBe(0);
  });

  it("adds with the default TTL, lists one record as an object, renumbers on update and deletes by rrid", async () => {
    const id = (await call("dnsAddRecord", www)).reply.record_id as string;
    expect((await call("dnsListRecords", { domain: "example.com" })).reply.resource_record).toEqual({ record_id: id, type: "A", host: "www.example.com", value: "192.0.2.1", ttl: "7207", distance: 0 });
    const updated = await call("dnsUpdateRecord", { domain: "example.com", rrid: id, rrhost: "www", rrvalue: "192.0.2.2", rrttl: "3600" });
    expect(updated.reply).toMatchObject({ code: 300 });
    expect(updated.reply.record_id).not.toBe(id);
    expect((await call("dnsUpdateRecord", { domain: "example.com", rrid: id, rrhost: "www", rrvalue: "192.0.2.3" })).reply.code).toBe(280);
    expect((await call("dnsDeleteRecord", { domain: "example.com", rrid: updated.reply.record_id as string })).reply.code).toBe(300);
    expect((await call("dnsListRecords", { domain: "example.com" })).reply.resource_record).toBeUndefined();
    expect(fake.writes()).toBe(3);
  });
});
