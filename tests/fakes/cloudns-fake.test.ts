import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeCloudns, type FakeCloudns } from "./cloudns/fake-cloudns.ts";

/** The ClouDNS fake is as strict as its header says: query credentials, "Failed" answers, TTLs, hosts and sub-users. */
const PASSWORD = "cloudns-fake-password-0123";
let fake: FakeCloudns;
beforeAll(async () => {
  fake = await startFakeCloudns({ users: { "777": { password: PASSWORD, kind: "auth-id" }, "888": { password: PASSWORD, kind: "sub-auth-id", zones: ["lab.example.com"] } }, zones: ["example.com", "lab.example.com"] });
});
afterAll(() => fake.stop());

async function call(path: string, query: Record<string, string>, auth: Record<string, string> = { "auth-id": "777", "auth-password": PASSWORD }, method = "POST") {
  const response = await fetch(`${fake.url}${path}?${new URLSearchParams({ ...auth, ...query })}`, { method });
  return { status: response.status, json: (await response.json()) as any };
}
const add = (more: Record<string, string> = {}, auth?: Record<string, string>) => call("/add-record.json", { "domain-name": "example.com", "record-type": "A", host: "www", record: "192.0.2.1", ttl: "300", ...more }, auth);

describe("the ClouDNS fake", () => {
  it.each([
    { name: "no credentials", auth: {} },
    { name: "a wrong password", auth: { "auth-id": "777", "auth-password": "nope" } },
    { name: "an id of the wrong kind", auth: { "sub-auth-id": "777", "auth-password": PASSWORD } },
    { name: "two ids at once", auth: { "auth-id": "777", "sub-auth-id": "888", "auth-password": PASSWORD } },
  ])("refuses $name with HTTP 200 and \"Failed\"", async ({ auth }) => {
    expect(await add({}, auth as Record<string, string>)).toEqual({ status: 200, json: { status: "Failed", statusDescription: "Invalid authentication, incorrect auth-id or auth-password." } });
  });

  it.each<{ name: string; more: Record<string, string>; description: string }>([
    { name: "a TTL ClouDNS does not offer", more: { ttl: "120" }, description: "Invalid TTL. Choose from the list of the values we support." },
    { name: "an IPv6 address in an A record", more: { record: "2001:db8::1" }, description: "Invalid record." },
    { name: "an absolute host", more: { host: "www.example.com." }, description: "Invalid host." },
    { name: "an unknown parameter", more: { priority: "10" }, description: "unknown query parameter priority" },
    { name: "a zone of the account it does not hold", more: { "domain-name": "example.org" }, description: "Missing domain-name" },
  ])("refuses $name", async ({ more, description }) => {
    expect(await add(more)).toEqual({ status: 200, json: { status: "Failed", statusDescription: description } });
  });

  it("adds, lists (keyed by id, [] when none), changes and deletes; a sub-user sees only its zones", async () => {
    expect(await call("/records.json", { "domain-name": "example.com", type: "A" }, undefined, "GET")).toEqual({ status: 200, json: [] });
    const added = await add();
    const id = String(added.json.data?.id);
    expect({ status: added.json.status, id: typeof added.json.data?.id }).toEqual({ status: "Success", id: "number" });
    expect((await call("/records.json", { "domain-name": "example.com" }, undefined, "GET")).json).toEqual({ [id]: { id, type: "A", host: "www", record: "192.0.2.1", dynamicurl_status: 0, failover: "0", ttl: "300", status: 1 } });
    expect((await call("/mod-record.json", { "domain-name": "example.com", "record-id": id, host: "www", record: "192.0.2.2", ttl: "60" })).json.status).toBe("Success");
    expect(fake.read("www.example.com", "A")).toEqual(["192.0.2.2"]);
    expect((await call("/delete-record.json", { "domain-name": "example.com", "record-id": id })).json.status).toBe("Success");
    expect((await call("/delete-record.json", { "domain-name": "example.com", "record-id": id })).json).toEqual({ status: "Failed", statusDescription: "Invalid record-id" });
    const sub = { "sub-auth-id": "888", "auth-password": PASSWORD };
    expect((await call("/list-zones.json", { page: "1", "rows-per-page": "10" }, sub, "GET")).json).toEqual([{ name: "lab.example.com", type: "master", zone: "domain", status: "1" }]);
    expect((await add({}, sub)).json).toEqual({ status: "Failed", statusDescription: "Missing domain-name" });
  });
});
