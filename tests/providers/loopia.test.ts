import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { loopia } from "../../src/providers/loopia/descriptor.ts";
import type { DnsProvider, ProviderDeps, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { parseXmlRpc } from "../../src/providers/kit/xml-rpc.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeLoopia, type FakeLoopia, type FakeLoopiaOptions } from "../fakes/loopia/fake-loopia.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { set, a } from "./test-requests.ts";

/** Loopia: the contract suite and the black-box runs against its XML-RPC fake, statuses, faults, bad answers. */
const USER = "ddnsd-test@loopiaapi";
const PASSWORD = "lpPASSWORD0123456789abcdef";
const WRONG = "lpWRONGzzzzzzzzzzzzzzzzzzz";
let run = 0;

const deps = (timeoutMs?: number): ProviderDeps => ({ fetch, log: createMemoryLogger("debug"), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {}, ...(timeoutMs ? { timeoutMs } : {}) });
function lpProvider(apiUrl: string, password = PASSWORD, timeoutMs?: number): DnsProvider {
  const parsed = loopia.parse({ DDNS_PROVIDER_API_KEY: USER, DDNS_PROVIDER_API_TOKEN: password, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return loopia.create(parsed.settings, deps(timeoutMs));
}
const start = (o: Partial<FakeLoopiaOptions> = {}) => startFakeLoopia({ users: { [USER]: PASSWORD }, zones: ["example.com"], perMinute: 10_000, ...o });

providerContract("loopia", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: lpProvider(fake.url),
    badAuthProvider: lpProvider(fake.url, WRONG),
    unreachableProvider: lpProvider(`http://127.0.0.1:${await freePort()}/RPCSERV`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [PASSWORD, WRONG, USER],
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
  id: "loopia",
  canRead: loopia.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "loopia", DDNS_PROVIDER_API_KEY: USER, DDNS_PROVIDER_API_TOKEN: PASSWORD, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [PASSWORD, WRONG, USER],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("loopia against its fake", () => {
  let fake: FakeLoopia;
  beforeAll(async () => {
    fake = await start({ zones: ["example.com", "example.org"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const lastCall = () => parseXmlRpc(fake.requests.at(-1)!.body);

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", method: "POST", path: "/" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while reading the records, Loopia /) },
    },
    {
      name: "an HTTP 200 that is not XML-RPC",
      rule: { kind: "wrong-json", method: "POST", path: "/" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while reading the records, Loopia answered HTTP 200 with .*, which is not an XML-RPC answer$/) },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", method: "POST", path: "/" } as FaultRule,
      want: { kind: "transient", message: `while reading the records, Loopia answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", method: "POST", path: "/" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the records, Loopia at "http:\/\/127\.0\.0\.1:\d+\/RPCSERV" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    const provider = lpProvider(fake.url);
    const host = `fault-${name.length}.example.com`;
    expect(await one(provider, a(host, "2001:db8::5", { type: "AAAA" }))).toMatchObject({ ok: true });
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    expect(await one(provider, a(host, "203.0.113.5"))).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    expect(fake.writes()).toBe(before);
  });

  it("reads the rate limit from fault 429 in an HTTP 200 and waits a minute", async () => {
    const busy = await start({ perMinute: 2 });
    try {
      const r = await one(lpProvider(busy.url), a("home.example.com", "203.0.113.9"));
      expect(r).toMatchObject({ ok: false, kind: "rate-limited", retryAfterMs: 60_000, message: `while creating the record, Loopia answered fault 429 "Rate limit exceeded" (60 calls a minute per API user)` });
      expect(busy.writes()).toBe(0);
    } finally {
      await busy.stop();
    }
  });

  it("calls with the API user and password first, \"@\" at the apex, and the whole record struct", async () => {
    expect(await one(lpProvider(fake.url), a("example.org", "203.0.113.20"))).toMatchObject({ ok: true, outcome: "created" });
    expect(lastCall()).toEqual({ kind: "call", method: "addZoneRecord", params: [USER, PASSWORD, "example.org", "@", { type: "A", ttl: 3600, priority: 0, rdata: "203.0.113.20" }] });
    expect(fake.requests.at(-1)!.headers["content-type"]).toBe("text/xml");
  });

  it("changes a record by id in its subdomain and keeps its TTL", async () => {
    fake.edit("kept.example.com", "A", ["192.0.2.1"], 900);
    const id = Number(fake.store.find("example.com", "kept.example.com", "A")[0]!.id);
    expect(await one(lpProvider(fake.url), a("kept.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    expect(lastCall()).toEqual({ kind: "call", method: "updateZoneRecord", params: [USER, PASSWORD, "example.com", "kept", { type: "A", ttl: 900, priority: 0, rdata: "203.0.113.30", record_id: id }] });
    expect(fake.read("kept.example.com", "A")).toEqual(["203.0.113.30"]);
  });

  it("keeps one of duplicate records and removes the others with their subdomain", async () => {
    fake.edit("dup.example.com", "A", ["192.0.2.1", "203.0.113.40"]);
    const gone = Number(fake.store.find("example.com", "dup.example.com", "A")[0]!.id);
    expect(await one(lpProvider(fake.url), a("dup.example.com", "203.0.113.40"))).toMatchObject({ ok: true });
    expect(fake.read("dup.example.com", "A")).toEqual(["203.0.113.40"]);
    expect(lastCall()).toEqual({ kind: "call", method: "removeZoneRecord", params: [USER, PASSWORD, "example.com", "dup", gone] });
  });

  it.each([
    { name: "a domain not in the account", password: PASSWORD, request: a("home.example.net", "203.0.113.7"), kind: "config", message: `no Loopia zone holds "home.example.net" (tried "home.example.net", "example.net"); add the domain to the Loopia account of the API user (DDNS_PROVIDER_API_KEY)` },
    { name: "a wrong password", password: WRONG, request: a("home.example.com", "203.0.113.7"), kind: "auth", message: `while looking up the zone, Loopia answered AUTH_ERROR; check DDNS_PROVIDER_API_KEY (the API user, name@loopiaapi) and DDNS_PROVIDER_API_TOKEN (its password), and that the API user may call getDomains, getZoneRecords, addZoneRecord, updateZoneRecord and removeZoneRecord` },
    { name: "a TTL Loopia refuses", password: PASSWORD, request: a("short.example.com", "203.0.113.7", { ttl: 60 }), kind: "config", message: `while creating the record, Loopia answered BAD_INDATA; check DDNS_RECORD_TTL (at least 300) and that the domain is this account's` },
  ])("says what to do for $name", async ({ password, request, kind, message }) => {
    expect(await one(lpProvider(fake.url, password), request)).toMatchObject({ ok: false, kind, message });
  });

  it("says it could not confirm a create whose answer was lost, and finds the record on the next round", async () => {
    const provider = lpProvider(fake.url, PASSWORD, 300);
    expect(await one(provider, a("lost.example.com", "2001:db8::6", { type: "AAAA" }))).toMatchObject({ ok: true });
    fake.delayNextAnswer("addZoneRecord", 1_000);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.read("lost.example.com", "A")).toEqual(["203.0.113.6"]);
  });
});
