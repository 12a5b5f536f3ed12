import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeDreamhost, type FakeDreamhost } from "./dreamhost/fake-dreamhost.ts";

/** The DreamHost fake is as strict as its header says: keys, commands, parameters, unique_id, editable records. */
let fake: FakeDreamhost;
beforeAll(async () => {
  fake = await startFakeDreamhost({ keys: { GOODKEY000000000: "all", READKEY000000000: ["dns-list_records"] }, zones: ["example.com"] });
});
afterAll(() => fake.stop());

async function cmd(cmd: string, params: Record<string, string> = {}, key = "GOODKEY000000000") {
  const response = await fetch(`${fake.url}/?${new URLSearchParams({ key, cmd, format: "json", ...params })}`);
  return { status: response.status, json: (await response.json()) as any };
}
const add = (more: Record<string, string> = {}, key?: string) => cmd("dns-add_record", { record: "www.example.com", type: "A", value: "192.0.2.1", ...more }, key);

describe("the DreamHost fake", () => {
  it.each([
    { name: "a wrong key", call: () => cmd("dns-list_records", {}, "NOPE"), data: "invalid_api_key" },
    { name: "a key without the command", call: () => add({}, "READKEY000000000"), data: "this_key_cannot_access_this_cmd" },
    { name: "a name outside the account", call: () => add({ record: "www.example.org" }), data: "no_such_zone" },
    { name: "an IPv6 address in an A record", call: () => add({ value: "2001:db8::1" }), data: "invalid_value\tnot an IPv4 address" },
    { name: "an unknown parameter", call: () => add({ ttl: "300" }), data: "invalid_parameter\tttl" },
    { name: "a reused unique_id", call: async () => (await add({ unique_id: "u-1", record: "one.example.com" }), add({ unique_id: "u-1", record: "two.example.com" })), data: "unique_id_already_used" },
  ])("refuses $name in HTTP 200", async ({ call, data }) => {
    expect(await call()).toEqual({ status: 200, json: { result: "error", data } });
  });

  it("lists DreamHost's own records as not editable, adds, refuses the same value twice, removes", async () => {
    const listed = (await cmd("dns-list_records")).json.data as Array<Record<string, string>>;
    expect(listed.filter((r) => r.type === "NS").map((r) => r.editable)).toEqual(["0", "0", "0"]);
    expect((await add({ comment: "mine" })).json).toEqual({ result: "success", data: "record_added" });
    expect((await cmd("dns-list_records")).json.data).toContainEqual({ account_id: "1234", zone: "example.com", record: "www.example.com", type: "A", value: "192.0.2.1", comment: "mine", editable: "1" });
    expect((await add()).json).toEqual({ result: "error", data: "record_already_exists_remove_first" });
    expect((await cmd("dns-remove_record", { record: "example.com", type: "NS", value: "ns1.dreamhost.com" })).json).toEqual({ result: "error", data: "not_editable" });
    expect((await cmd("dns-remove_record", { record: "www.example.com", type: "A", value: "192.0.2.9" })).json).toEqual({ result: "error", data: "no_such_value" });
    expect((await cmd("dns-remove_record", { record: "www.example.com", type: "A", value: "192.0.2.1" })).json).toEqual({ result: "success", data: "record_removed" });
    expect(fake.read("www.example.com", "A")).toEqual([]);
  });
});
