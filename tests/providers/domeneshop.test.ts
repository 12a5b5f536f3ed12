import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { domeneshop } from "../../src/providers/domeneshop/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeDomeneshop, type FakeDomeneshop, type FakeDomeneshopOptions } from "../fakes/domeneshop/fake-domeneshop.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, set, a } from "./test-requests.ts";

/** Domeneshop: the contract suite and the black-box runs against its fake, Basic auth, records by id and faults. */
const TOKEN = "dsTOKEN0123456789abc";
const SECRET = "domeneshopSECRET0123456789abcdefghij";
const WRONG = "domeneshopWRONGZZZZZZZZZZZZZZZZZZZZZ";
let run = 0;

function dsProvider(apiUrl: string, secret = SECRET): DnsProvider {
  const parsed = domeneshop.parse({ DDNS_PROVIDER_API_KEY: TOKEN, DDNS_PROVIDER_API_TOKEN: secret, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return domeneshop.create(parsed.settings, deps());
}
const start = (o: Partial<FakeDomeneshopOptions> = {}) => startFakeDomeneshop({ clients: { [TOKEN]: SECRET }, zones: ["example.com"], ...o });

providerContract("domeneshop", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: dsProvider(fake.url),
    badAuthProvider: dsProvider(fake.url, WRONG),
    unreachableProvider: dsProvider(`http://127.0.0.1:${await freePort()}/v0`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [SECRET, WRONG, TOKEN],
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
  id: "domeneshop",
  canRead: domeneshop.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "domeneshop", DDNS_PROVIDER_API_KEY: TOKEN, DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [SECRET, WRONG, TOKEN],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("domeneshop against its fake", () => {
  let fake: FakeDomeneshop;
  beforeAll(async () => {
    fake = await start({ zones: ["example.com", "lab.example.com"], elsewhere: ["example.org"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const writes = () => fake.requests.filter((r) => r.method !== "GET");

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", method: "GET", path: "/domains/*/dns" } as FaultRule,
      want: { kind: "transient", message: "while reading the records, Domeneshop answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with Retry-After",
      rule: { kind: "rate-limit", method: "GET", path: "/domains/*/dns", retryAfter: 20, message: "Too many requests." } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the records, Domeneshop's request limit is spent (HTTP 429 "rateLimited": "Too many requests.")` },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", method: "GET", path: "/domains/*/dns" } as FaultRule,
      want: { kind: "transient", message: `while reading the records, Domeneshop answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "an answer in another shape",
      rule: { kind: "wrong-json", method: "GET", path: "/domains/*/dns" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while reading the records, Domeneshop's record list is not in the documented shape/) },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", method: "GET", path: "/domains/*/dns" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the records, Domeneshop at "http:\/\/127\.0\.0\.1:\d+\/v0\/domains\/1\/dns\?…" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(dsProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(20_000);
    expect(fake.writes()).toBe(before);
  });

  it("sends Basic auth with the API token, and creates with a relative host and the TTL in whole minutes", async () => {
    expect(await one(dsProvider(fake.url), a("new.example.com", "203.0.113.20", { ttl: 90 }))).toMatchObject({ ok: true, outcome: "created" });
    const post = writes().at(-1)!;
    expect({ method: post.method, path: post.path, body: JSON.parse(post.body), user: Buffer.from(post.headers.authorization!.slice(6), "base64").toString().split(":")[0] })
      .toEqual({ method: "POST", path: "/domains/1/dns", body: { host: "new", ttl: 120, type: "A", data: "203.0.113.20" }, user: TOKEN });
  });

  it("replaces a record by id and keeps its TTL; the apex of a second domain is \"@\"; duplicates are deleted", async () => {
    fake.edit("kept.example.com", "A", ["192.0.2.1"], 900);
    const id = fake.store.find("example.com", "kept.example.com", "A")[0]!.id;
    expect(await one(dsProvider(fake.url), a("kept.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    expect({ method: writes().at(-1)!.method, path: writes().at(-1)!.path, body: JSON.parse(writes().at(-1)!.body) }).toEqual({ method: "PUT", path: `/domains/1/dns/${id}`, body: { host: "kept", ttl: 900, type: "A", data: "203.0.113.30" } });
    expect(await one(dsProvider(fake.url), a("lab.example.com", "203.0.113.31"))).toMatchObject({ ok: true, outcome: "created" });
    expect({ path: writes().at(-1)!.path, host: JSON.parse(writes().at(-1)!.body).host }).toEqual({ path: "/domains/2/dns", host: "@" });
    fake.edit("dup.example.com", "A", ["192.0.2.1", "203.0.113.40"]);
    expect(await one(dsProvider(fake.url), a("dup.example.com", "203.0.113.40"))).toMatchObject({ ok: true });
    expect(fake.read("dup.example.com", "A")).toEqual(["203.0.113.40"]);
    expect(writes().at(-1)!.method).toBe("DELETE");
  });

  it.each([
    { name: "a domain that uses other name servers", secret: SECRET, request: a("home.example.org", "203.0.113.7"), kind: "config", message: `no Domeneshop zone holds "home.example.org" (tried "home.example.org", "example.org"); the domain must be in the Domeneshop account of the API client and use Domeneshop's DNS service` },
    { name: "a wrong secret", secret: WRONG, request: a("home.example.com", "203.0.113.7"), kind: "auth", message: `while looking up the zone, Domeneshop refused the API client (HTTP 401 "auth:invalid": "Invalid API credentials."); check DDNS_PROVIDER_API_KEY (the API token) and DDNS_PROVIDER_API_TOKEN (its secret)` },
  ])("says what to do for $name", async ({ secret, request, kind, message }) => {
    expect(await one(dsProvider(fake.url, secret), request)).toMatchObject({ ok: false, kind, message });
  });

  it("turns a refused record into one line that names the variable", async () => {
    fake.fault({ kind: "status", status: 400, method: "POST", path: "/domains/*/dns", message: "Invalid data." });
    expect(await one(dsProvider(fake.url), a("bad.example.com", "203.0.113.9"))).toMatchObject({ ok: false, kind: "config", message: `while creating the record, Domeneshop refused the record (HTTP 400 "request:invalid": "Invalid data."); check DDNS_RECORD_TTL (60…604800)` });
  });

  it("says it could not confirm a create whose answer was lost, and finds the record on the next round", async () => {
    fake.fault({ kind: "reset", method: "POST", path: "/domains/*/dns", afterApply: true });
    const provider = dsProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.read("lost.example.com", "A")).toEqual(["203.0.113.6"]);
  });
});
