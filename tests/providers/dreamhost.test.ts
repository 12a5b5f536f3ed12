import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { dreamhost } from "../../src/providers/dreamhost/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeDreamhost, type FakeDreamhost, type FakeDreamhostOptions } from "../fakes/dreamhost/fake-dreamhost.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, set, a } from "./test-requests.ts";

/** DreamHost: the contract suite and the black-box runs against its fake, its add-and-remove changes and faults. */
const KEY = "DHKEY0123456789AB";
const WRONG = "DHWRONGZZZZZZZZZZ";
let run = 0;

function dhProvider(apiUrl: string, key = KEY): DnsProvider {
  const parsed = dreamhost.parse({ DDNS_PROVIDER_API_TOKEN: key, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return dreamhost.create(parsed.settings, deps());
}
const start = (o: Partial<FakeDreamhostOptions> = {}) => startFakeDreamhost({ keys: { [KEY]: "all" }, zones: ["example.com"], ...o });

providerContract("dreamhost", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: dhProvider(fake.url),
    badAuthProvider: dhProvider(fake.url, WRONG),
    unreachableProvider: dhProvider(`http://127.0.0.1:${await freePort()}`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [KEY, WRONG],
    read: async (name, type) => fake.read(name, type),
    writes: async () => fake.writes(),
    requests: async () => fake.requests.length,
    edit: async (name, type, contents) => fake.edit(name, type, contents),
    comments: "record",
    close: () => fake.stop(),
  };
});

providerBlackbox({
  id: "dreamhost",
  canRead: dreamhost.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "dreamhost", DDNS_PROVIDER_API_TOKEN: KEY, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [KEY, WRONG],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("dreamhost against its fake", () => {
  let fake: FakeDreamhost;
  beforeAll(async () => {
    fake = await start({ keys: { [KEY]: "all", DHREADONLYKEY0000: ["dns-list_records"] }, zones: ["example.com", "lab.example.com"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const query = (r: { query: string }) => Object.fromEntries(new URLSearchParams(r.query));
  const writes = () => fake.requests.map(query).filter((q) => q.cmd !== "dns-list_records");

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", path: "/" } as FaultRule,
      want: { kind: "transient", message: "while looking up the zone, DreamHost answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with Retry-After",
      rule: { kind: "rate-limit", path: "/", retryAfter: 20 } as FaultRule,
      want: { kind: "rate-limited", message: expect.stringMatching(/^while looking up the zone, DreamHost/) },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", path: "/" } as FaultRule,
      want: { kind: "transient", message: `while looking up the zone, DreamHost answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "an answer in another shape",
      rule: { kind: "wrong-json", path: "/" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while looking up the zone, DreamHost's record list is not in the documented shape/) },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", path: "/" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while looking up the zone, DreamHost at "http:\/\/127\.0\.0\.1:\d+\/\?…" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(dhProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(20_000);
    expect(fake.writes()).toBe(before);
  });

  it("adds a record with its full name, the comment and a fresh unique_id, the key in the query", async () => {
    expect(await one(dhProvider(fake.url), a("new.example.com", "203.0.113.20", { comment: "ddnsd" }))).toMatchObject({ ok: true, outcome: "created" });
    const { unique_id, ...rest } = writes().at(-1)!;
    expect(rest).toEqual({ key: KEY, cmd: "dns-add_record", format: "json", record: "new.example.com", type: "A", value: "203.0.113.20", comment: "ddnsd" });
    expect(unique_id).toMatch(/^[0-9a-f]{8}(-[0-9a-f]{8}){3}$/);
  });

  it("changes an address by adding the new value before removing the old one, and keeps the record's comment", async () => {
    fake.edit("kept.example.com", "A", ["192.0.2.1"], { comment: "set by hand" });
    const from = writes().length;
    expect(await one(dhProvider(fake.url), a("kept.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    expect(writes().slice(from).map((q) => `${q.cmd} ${q.value} ${q.comment ?? "-"}`)).toEqual(["dns-add_record 203.0.113.30 set by hand", "dns-remove_record 192.0.2.1 -"]);
    expect(fake.read("kept.example.com", "A")).toEqual(["203.0.113.30"]);
  });

  it("a provider that changed an address once changes it again from what it remembers", async () => {
    const provider = dhProvider(fake.url);
    expect(await one(provider, a("twice.example.com", "203.0.113.1"))).toMatchObject({ ok: true, outcome: "created" });
    expect(await one(provider, a("twice.example.com", "203.0.113.2"))).toMatchObject({ ok: true, outcome: "updated" });
    expect(await one(provider, a("twice.example.com", "203.0.113.3"))).toMatchObject({ ok: true, outcome: "updated" });
    expect(fake.read("twice.example.com", "A")).toEqual(["203.0.113.3"]);
  });

  it("leaves DreamHost's own records alone and says so when one holds the name", async () => {
    fake.edit("www.example.com", "A", ["192.0.2.80"], { editable: false });
    const r = await one(dhProvider(fake.url), a("www.example.com", "192.0.2.80"));
    expect(r).toMatchObject({ ok: false, kind: "config", message: `while creating the record, DreamHost keeps this record itself (error "record_already_exists_not_editable"); remove the hosting or mail service that made it, or let ddnsd keep another name` });
    expect(fake.read("www.example.com", "A")).toEqual(["192.0.2.80"]);
  });

  it.each([
    { name: "a name no domain of the account holds", key: KEY, request: a("home.example.org", "203.0.113.7"), kind: "config", message: `no DreamHost zone holds "home.example.org" (tried "home.example.org", "example.org"); add the domain to the DreamHost account with DNS hosted at DreamHost` },
    { name: "a wrong key", key: WRONG, request: a("home.example.com", "203.0.113.7"), kind: "auth", message: `while looking up the zone, DreamHost refused the API key (error "invalid_api_key"); check DDNS_PROVIDER_API_TOKEN: a key from the panel's API page that may run dns-list_records, dns-add_record and dns-remove_record` },
    { name: "a key without dns-add_record", key: "DHREADONLYKEY0000", request: a("home.example.com", "203.0.113.7"), kind: "auth", message: `while creating the record, DreamHost refused the API key (error "this_key_cannot_access_this_cmd"); check DDNS_PROVIDER_API_TOKEN: a key from the panel's API page that may run dns-list_records, dns-add_record and dns-remove_record` },
  ])("says what to do for $name", async ({ key, request, kind, message }) => {
    expect(await one(dhProvider(fake.url, key), request)).toMatchObject({ ok: false, kind, message });
  });

  it("says it could not confirm an add whose answer was lost, and finds the record on the next round", async () => {
    const provider = dhProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.5"))).toMatchObject({ ok: true });
    fake.fault({ kind: "reset", path: "/", afterApply: true, times: 1 });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true });
    expect(fake.read("lost.example.com", "A")).toEqual(["203.0.113.6"]);
  });
});
