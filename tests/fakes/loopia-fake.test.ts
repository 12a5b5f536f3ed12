import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { encodeCall, parseXmlRpc, type XmlRpcValue } from "../../src/providers/kit/xml-rpc.ts";
import { startFakeLoopia, type FakeLoopia } from "./loopia/fake-loopia.ts";

/** The Loopia fake is as strict as its header says: credentials first, statuses, strict record structs, faults. */
const USER = "me@loopiaapi";
const PASSWORD = "secret";
let fake: FakeLoopia;
beforeAll(async () => {
  fake = await startFakeLoopia({ users: { [USER]: PASSWORD }, zones: ["example.com"] });
});
afterAll(() => fake.stop());

async function rpc(method: string, params: XmlRpcValue[], contentType = "text/xml") {
  const response = await fetch(fake.url, { method: "POST", headers: { "Content-Type": contentType }, body: encodeCall(method, params) });
  return { status: response.status, doc: parseXmlRpc(await response.text()) };
}
const www = (more: Record<string, XmlRpcValue> = {}) => ({ type: "A", ttl: 300, priority: 0, rdata: "192.0.2.1", ...more });

describe("the Loopia fake", () => {
  it.each<{ name: string; method: string; params: XmlRpcValue[]; want: unknown }>([
    { name: "a wrong password (write)", method: "addZoneRecord", params: [USER, "wrong", "example.com", "www", www()], want: { kind: "response", value: "AUTH_ERROR" } },
    { name: "a wrong password (read)", method: "getZoneRecords", params: [USER, "wrong", "example.com", "www"], want: { kind: "response", value: ["AUTH_ERROR"] } },
    { name: "a TTL below 300", method: "addZoneRecord", params: [USER, PASSWORD, "example.com", "www", www({ ttl: 60 })], want: { kind: "response", value: "BAD_INDATA" } },
    { name: "an unknown struct member", method: "addZoneRecord", params: [USER, PASSWORD, "example.com", "www", www({ comment: "x" })], want: { kind: "response", value: "BAD_INDATA" } },
    { name: "an IPv6 address in an A record", method: "addZoneRecord", params: [USER, PASSWORD, "example.com", "www", www({ rdata: "2001:db8::1" })], want: { kind: "response", value: "BAD_INDATA" } },
    { name: "a domain not the account's", method: "addZoneRecord", params: [USER, PASSWORD, "example.org", "www", www()], want: { kind: "response", value: "UNKNOWN_ERROR" } },
    { name: "a missing parameter", method: "addZoneRecord", params: [USER, PASSWORD, "example.com", www()], want: { kind: "fault", code: -32602, message: "invalid method parameters" } },
    { name: "an unknown method", method: "addZoneRecords", params: [USER, PASSWORD], want: { kind: "fault", code: -32601, message: "method addZoneRecords not found" } },
  ])("answers $name as Loopia does, in an HTTP 200", async ({ method, params, want }) => {
    expect(await rpc(method, params)).toEqual({ status: 200, doc: want as never });
    expect(fake.writes()).toBe(0);
  });

  it("adds, lists per subdomain, updates and removes records by id", async () => {
    expect((await rpc("addZoneRecord", [USER, PASSWORD, "example.com", "www", www()])).doc).toEqual({ kind: "response", value: "OK" });
    const listed = (await rpc("getZoneRecords", [USER, PASSWORD, "example.com", "www"])).doc as unknown as { value: Array<Record<string, unknown>> };
    expect(listed.value).toEqual([{ type: "A", ttl: 300, priority: 0, rdata: "192.0.2.1", record_id: expect.any(Number) }]);
    const id = listed.value[0]!.record_id as number;
    expect((await rpc("getZoneRecords", [USER, PASSWORD, "example.com", "@"])).doc).toEqual({ kind: "response", value: [] });
    expect((await rpc("updateZoneRecord", [USER, PASSWORD, "example.com", "www", www({ rdata: "192.0.2.2", record_id: id })])).doc).toEqual({ kind: "response", value: "OK" });
    expect(fake.read("www.example.com", "A")).toEqual(["192.0.2.2"]);
    expect((await rpc("removeZoneRecord", [USER, PASSWORD, "example.com", "other", id])).doc).toEqual({ kind: "response", value: "UNKNOWN_ERROR" });
    expect((await rpc("removeZoneRecord", [USER, PASSWORD, "example.com", "www", id])).doc).toEqual({ kind: "response", value: "OK" });
    expect((await rpc("getDomains", [USER, PASSWORD])).doc).toMatchObject({ kind: "response", value: [{ domain: "example.com" }] });
    expect(fake.writes()).toBe(3);
  });

  it("refuses a body that is not text/xml", async () => {
    expect((await rpc("getDomains", [USER, PASSWORD], "application/json")).doc).toMatchObject({ kind: "fault", code: -32700 });
  });
});
