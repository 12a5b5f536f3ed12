import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { netcup } from "../../src/providers/netcup/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeNetcup, type FakeNetcup, type FakeNetcupOptions } from "../fakes/netcup/fake-netcup.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { bodyFieldsSent, leakedPieces } from "../fakes/kit/sent-credentials.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, a } from "./test-requests.ts";

/** netcup: the contract suite and the black-box runs against its fake, the session's life, and faults. */
const CUSTOMER = "123456";
const KEY = "netcupAPIKEY0123456789abcdef";
const PASSWORD = "netcupAPIPASSWORD0123456789";
const WRONG = "netcupWRONGZZZZZZZZZZZZZZZZ";
let run = 0;

function ncProvider(apiUrl: string, more: Record<string, string> = {}): DnsProvider {
  const parsed = netcup.parse({ DDNS_NETCUP_CUSTOMER_NUMBER: CUSTOMER, DDNS_PROVIDER_API_KEY: KEY, DDNS_PROVIDER_API_TOKEN: PASSWORD, DDNS_PROVIDER_API_URL: apiUrl, ...more });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return netcup.create(parsed.settings, deps());
}
const start = (o: Partial<FakeNetcupOptions> = {}) => startFakeNetcup({ customer: CUSTOMER, apiKey: KEY, apiPassword: PASSWORD, zones: ["example.com"], ...o });
const set = (p: DnsProvider, requests: RecordRequest[]) => p.setRecords(requests, { signal: AbortSignal.timeout(5_000), dryRun: false });

providerContract("netcup", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: ncProvider(fake.url),
    badAuthProvider: ncProvider(fake.url, { DDNS_PROVIDER_API_TOKEN: WRONG }),
    unreachableProvider: ncProvider(`http://127.0.0.1:${await freePort()}/run/webservice/servers/endpoint.php?JSON`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [PASSWORD, WRONG, KEY],
    read: async (name, type) => fake.read(name, type),
    writes: async () => fake.writes(),
    requests: async () => fake.requests.length,
    edit: async (name, type, contents) => fake.edit(name, type, contents),
    registry: "record",
    readTxt: async (name) => fake.read(name, "TXT"),
    close: () => fake.stop(),
  };
});

providerBlackbox({
  id: "netcup",
  canRead: netcup.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "netcup", DDNS_NETCUP_CUSTOMER_NUMBER: CUSTOMER, DDNS_PROVIDER_API_KEY: KEY, DDNS_PROVIDER_API_TOKEN: PASSWORD, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [PASSWORD, WRONG, KEY],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("netcup against its fake", () => {
  let fake: FakeNetcup;
  beforeAll(async () => {
    fake = await start({ zones: ["example.com", "lab.example.com"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest): Promise<RecordResult> => (await set(p, [request]))[0]!;
  const params = (action: string) => fake.requests.map((r) => JSON.parse(r.body)).filter((b) => b.action === action).map((b) => b.param);

  it("never shows the session id netcup echoes back in an error", async () => {
    const provider = ncProvider(fake.url);
    expect(await one(provider, a("echo.example.com", "203.0.113.8"))).toMatchObject({ ok: true, outcome: "created" });
    // The next action names the session: the careless answer quotes it.
    fake.fault({ kind: "status", status: 500, method: "POST", echo: (r) => String(JSON.parse(r.text).param.apisessionid), message: "Internal error" });
    const result = await one(provider, a("echo.example.com", "203.0.113.9"));
    expect(result).toMatchObject({ ok: false, kind: "config" });
    expect(result).toMatchObject({ message: 'while updating the record, netcup refused the change (the answer says 500 "Internal error (the request was: [REDACTED])"); the record is read back before it is written again' });
    const sessions = bodyFieldsSent(fake.requests, "apisessionid");
    expect(sessions.length).toBeGreaterThan(0);
    expect(leakedPieces(JSON.stringify(result), sessions)).toEqual([]);
  });

  it("logs in once, finds the zone by asking, and creates the record relative to it", async () => {
    const logins = params("login").length;
    const provider = ncProvider(fake.url);
    expect(await set(provider, [a("nas.lab.example.com", "203.0.113.20"), { name: "nas.lab.example.com", type: "AAAA", content: "2001:db8::20" }])).toMatchObject([{ ok: true, outcome: "created" }, { ok: true, outcome: "created" }]);
    expect(params("login").length).toBe(logins + 1);
    expect(params("infoDnsZone").map((p) => p.domainname).slice(-2)).toEqual(["nas.lab.example.com", "lab.example.com"]);
    expect(params("updateDnsRecords").at(-1)).toMatchObject({ domainname: "lab.example.com", customernumber: CUSTOMER, dnsrecordset: { dnsrecords: [{ hostname: "nas", type: "A", destination: "203.0.113.20", deleterecord: false }, { hostname: "nas", type: "AAAA", destination: "2001:db8::20", deleterecord: false }] } });
  });

  it("changes a record by id, deletes duplicates by id in the same call, and writes the apex as \"@\"", async () => {
    fake.edit("example.com", "A", ["192.0.2.1", "192.0.2.2"]);
    const [first, second] = fake.store.find("example.com", "example.com", "A");
    const before = params("updateDnsRecords").length;
    expect(await one(ncProvider(fake.url), a("example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "updated" });
    expect(params("updateDnsRecords").slice(before).map((p) => p.dnsrecordset.dnsrecords)).toEqual([[
      { id: first!.id, hostname: "@", type: "A", destination: "203.0.113.30", deleterecord: false },
      { id: second!.id, hostname: "@", type: "A", destination: "192.0.2.2", deleterecord: true },
    ]]);
    expect(fake.read("example.com", "A")).toEqual(["203.0.113.30"]);
  });

  it("sends the changes of several records of one zone in one updateDnsRecords call, one call per zone", async () => {
    const provider = ncProvider(fake.url);
    const round = (content: string) => set(provider, [a("one.example.com", content), a("two.example.com", content), a("three.lab.example.com", content)]);
    expect(await round("203.0.113.70")).toMatchObject([{ ok: true, outcome: "created" }, { ok: true, outcome: "created" }, { ok: true, outcome: "created" }]);
    const before = params("updateDnsRecords").length;
    expect(await round("203.0.113.71")).toMatchObject([{ ok: true, outcome: "updated" }, { ok: true, outcome: "updated" }, { ok: true, outcome: "updated" }]);
    const calls = params("updateDnsRecords").slice(before);
    expect(calls.map((p) => ({ zone: p.domainname, hosts: p.dnsrecordset.dnsrecords.map((r: { hostname: string; destination: string }) => `${r.hostname} ${r.destination}`).sort() }))).toEqual([
      { zone: "example.com", hosts: ["one 203.0.113.71", "two 203.0.113.71"] },
      { zone: "lab.example.com", hosts: ["three 203.0.113.71"] },
    ]);
    expect([fake.read("one.example.com", "A"), fake.read("two.example.com", "A"), fake.read("three.lab.example.com", "A")]).toEqual([["203.0.113.71"], ["203.0.113.71"], ["203.0.113.71"]]);
  });

  it("retries record by record when netcup refuses the combined call, so one bad record does not block the other", async () => {
    const provider = ncProvider(fake.url);
    const before = params("updateDnsRecords").length;
    expect(await set(provider, [a("good.example.com", "203.0.113.72"), a("bad.example.com", "203.0.113.300")])).toMatchObject([
      { ok: true, outcome: "created" },
      { ok: false, kind: "config", message: expect.stringContaining("Value in field destination does not match requirements of type A.") },
    ]);
    expect(params("updateDnsRecords").slice(before).map((p) => p.dnsrecordset.dnsrecords.length)).toEqual([2, 1, 1]);
    expect(fake.read("good.example.com", "A")).toEqual(["203.0.113.72"]);
  });

  it("opens a new session when netcup has dropped the old one, and logs out when it stops", async () => {
    const provider = ncProvider(fake.url);
    expect(await one(provider, a("session.example.com", "203.0.113.40"))).toMatchObject({ ok: true });
    fake.dropSessions();
    const logins = params("login").length;
    expect(await one(provider, a("session.example.com", "203.0.113.41"))).toMatchObject({ ok: true, outcome: "updated" });
    expect(params("login").length).toBe(logins + 1);
    expect(fake.sessions()).toBe(1);
    await provider.close?.();
    expect({ logout: fake.actions.at(-1), sessions: fake.sessions() }).toEqual({ logout: "logout", sessions: 0 });
  });

  it.each([
    { name: "a wrong API password", env: { DDNS_PROVIDER_API_TOKEN: WRONG }, kind: "auth", message: `while looking up the zone, netcup refused the login (login answered 4013 "Validation Error." "Login failed: wrong customer number, API key or API password."); check DDNS_NETCUP_CUSTOMER_NUMBER, DDNS_PROVIDER_API_KEY and DDNS_PROVIDER_API_TOKEN (the API password)` },
    { name: "a domain the customer lacks", env: {}, request: a("home.example.org", "203.0.113.7"), kind: "config", message: `no netcup zone holds "home.example.org" (tried "home.example.org", "example.org"); the domain must be one of the netcup customer's, with its DNS at netcup (CCP → Domains → DNS)` },
  ] as Array<{ name: string; env: Record<string, string>; request?: RecordRequest; kind: string; message: string }>)("says what to do for $name", async ({ env, request, kind, message }) => {
    expect(await one(ncProvider(fake.url, env), request ?? a("denied.example.com", "203.0.113.7"))).toMatchObject({ ok: false, kind, message });
  });

  it.each([
    { name: "an HTML page", rule: { kind: "html", method: "POST", path: "/endpoint.php" } as FaultRule, want: { kind: "transient", message: "while looking up the zone, netcup answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" } },
    { name: "a gzip bomb", rule: { kind: "gzip-bomb", method: "POST", path: "/endpoint.php" } as FaultRule, want: { kind: "transient", message: expect.stringMatching(/^while looking up the zone, netcup answered HTTP 200 compressed/) } },
    { name: "an answer in another shape", rule: { kind: "wrong-json", method: "POST", path: "/endpoint.php" } as FaultRule, want: { kind: "transient", message: expect.stringMatching(/^while looking up the zone, netcup's answer to login is not in the documented shape/) } },
  ])("$name gives one clear line", async ({ rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    expect(await one(ncProvider(fake.url), a("fault.example.com", "203.0.113.5"))).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    expect(fake.writes()).toBe(before);
  });

  it("says it could not confirm a change whose answer was lost, and finds it made on the next round", async () => {
    const provider = ncProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.9"))).toMatchObject({ ok: true, outcome: "created" });
    fake.fault({ kind: "reset", method: "POST", path: "/endpoint.php", afterApply: true, times: 1 });
    expect(await one(provider, a("lost.example.com", "203.0.113.10"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(fake.actions.at(-1)).toBe("updateDnsRecords");
    expect(await one(provider, a("lost.example.com", "203.0.113.10"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.read("lost.example.com", "A")).toEqual(["203.0.113.10"]);
  });
});
