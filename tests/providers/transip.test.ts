import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { generateKeyPairSync, verify, type KeyObject } from "node:crypto";
import { transip } from "../../src/providers/transip/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeTransip, type FakeTransip, type FakeTransipOptions } from "../fakes/transip/fake-transip.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { bearerTokensSent, leakedPieces } from "../fakes/kit/sent-credentials.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, set, a } from "./test-requests.ts";

/** TransIP: the signed sign-in, the contract suite and the black-box runs against its fake, entries without ids, faults. */
const LOGIN = "ddnsdtest";
const pair = () => generateKeyPairSync("rsa", { modulusLength: 2048 });
const KEY = pair();
const OTHER = pair();
const PEM = KEY.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const PKCS1 = KEY.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const WRONG = OTHER.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
let run = 0;

function tpProvider(apiUrl: string, pem = PEM, more: Record<string, string> = {}): DnsProvider {
  const parsed = transip.parse({ DDNS_PROVIDER_API_TOKEN: pem, DDNS_TRANSIP_LOGIN: LOGIN, DDNS_PROVIDER_API_URL: apiUrl, ...more });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return transip.create(parsed.settings, deps());
}
const start = (o: Partial<FakeTransipOptions> = {}) => startFakeTransip({ accounts: { [LOGIN]: { publicKey: KEY.publicKey } }, zones: ["example.com"], ...o });

providerContract("transip", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: tpProvider(fake.url),
    badAuthProvider: tpProvider(fake.url, WRONG),
    unreachableProvider: tpProvider(`http://127.0.0.1:${await freePort()}/v6`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [PEM, WRONG],
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
  id: "transip",
  canRead: transip.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "transip", DDNS_PROVIDER_API_TOKEN: PEM, DDNS_TRANSIP_LOGIN: LOGIN, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [PEM, WRONG],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("transip against its fake", () => {
  let fake: FakeTransip;
  beforeAll(async () => {
    fake = await start({ zones: ["example.com", "example.org"], accounts: { [LOGIN]: { publicKey: KEY.publicKey }, locked: { publicKey: KEY.publicKey, whitelistedOnly: true } } });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const writes = () => fake.requests.filter((r) => r.method !== "GET" && r.path !== "/auth");
  const DNS = "/domains/example.com/dns";

  it("signs the sign-in body with the key (SHA-512), once, and uses the token as Bearer", async () => {
    const before = fake.signIns();
    const provider = tpProvider(fake.url);
    expect(await one(provider, a("signed.example.com", "203.0.113.1"))).toMatchObject({ ok: true, outcome: "created" });
    expect(await one(provider, a("signed.example.com", "2001:db8::1", { type: "AAAA" }))).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.signIns() - before).toBe(1);
    const auth = fake.requests.find((r) => r.path === "/auth")!;
    expect(verify("sha512", Buffer.from(auth.body), KEY.publicKey as KeyObject, Buffer.from(auth.headers.signature!, "base64"))).toBe(true);
    expect(JSON.parse(auth.body)).toMatchObject({ login: LOGIN, read_only: false, expiration_time: "30 minutes", global_key: true, nonce: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(writes().at(-1)!.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it("takes an older PKCS#1 key too, and asks a whitelist-only key for a token bound to the address", async () => {
    expect(await one(tpProvider(fake.url, PKCS1), a("pkcs1.example.com", "203.0.113.2"))).toMatchObject({ ok: true, outcome: "created" });
    const locked = transip.parse({ DDNS_PROVIDER_API_TOKEN: PEM, DDNS_TRANSIP_LOGIN: "locked", DDNS_PROVIDER_API_URL: fake.url, DDNS_TRANSIP_WHITELISTED_ONLY: "true" });
    if (!locked.ok) throw new Error(locked.issue.reason);
    expect(await one(transip.create(locked.settings, deps()), a("locked.example.com", "203.0.113.3"))).toMatchObject({ ok: true, outcome: "created" });
    expect(JSON.parse(fake.requests.filter((r) => r.path === "/auth").at(-1)!.body)).toMatchObject({ login: "locked", global_key: false });
  });

  it("signs in again once when the token was revoked", async () => {
    const provider = tpProvider(fake.url);
    expect(await one(provider, a("revoked.example.com", "203.0.113.4"))).toMatchObject({ ok: true });
    const before = fake.signIns();
    fake.revokeTokens();
    expect(await one(provider, a("revoked.example.com", "203.0.113.5"))).toMatchObject({ ok: true, outcome: "updated" });
    expect(fake.signIns() - before).toBe(1);
  });

  it("changes an entry with one PATCH, keeping its TTL, and a known entry again without reading", async () => {
    fake.edit("kept.example.com", "A", ["192.0.2.1"], 900);
    const provider = tpProvider(fake.url);
    expect(await one(provider, a("kept.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    expect(writes().at(-1)).toMatchObject({ method: "PATCH", body: `{"dnsEntry":{"name":"kept","expire":900,"type":"A","content":"203.0.113.30"}}` });
    const calls = fake.requests.length;
    expect(await one(provider, a("kept.example.com", "203.0.113.32"))).toMatchObject({ ok: true, outcome: "updated", previous: ["203.0.113.30"] });
    expect(fake.requests.slice(calls).map((r) => r.method)).toEqual(["PATCH"]);
    expect(fake.read("kept.example.com", "A")).toEqual(["203.0.113.32"]);
    expect(await one(tpProvider(fake.url), a("example.org", "203.0.113.31", { ttl: 300 }))).toMatchObject({ ok: true, outcome: "created" });
    expect(JSON.parse(writes().at(-1)!.body)).toEqual({ dnsEntry: { name: "@", expire: 300, type: "A", content: "203.0.113.31" } });
  });

  it("adds the new entry and removes the old one when a PATCH would match two entries (same name, type and TTL)", async () => {
    fake.edit("twins.example.com", "A", ["192.0.2.1", "192.0.2.2"], 600);
    expect(await one(tpProvider(fake.url), a("twins.example.com", "203.0.113.33"))).toMatchObject({ ok: true, outcome: "updated" });
    expect(fake.read("twins.example.com", "A")).toEqual(["203.0.113.33"]);
    expect(writes().slice(-4).map((r) => `${r.method} ${r.status}`)).toEqual(["PATCH 406", "POST 201", "DELETE 204", "DELETE 204"]);
  });

  it("keeps one of duplicate entries and removes the others", async () => {
    fake.edit("dup.example.com", "AAAA", ["2001:db8::1", "2001:db8::40"]);
    expect(await one(tpProvider(fake.url), a("dup.example.com", "2001:db8::40", { type: "AAAA" }))).toMatchObject({ ok: true });
    expect(fake.read("dup.example.com", "AAAA")).toEqual(["2001:db8::40"]);
    expect(writes().at(-1)!.method).toBe("DELETE");
  });

  it.each([
    { name: "an HTML page", rule: { kind: "html", method: "GET", path: DNS } as FaultRule, kind: "transient", message: "while reading the records, TransIP answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    { name: "a 429", rule: { kind: "rate-limit", method: "GET", path: DNS, retryAfter: 20, message: "Rate limit exceeded" } as FaultRule, kind: "rate-limited", message: `while reading the records, TransIP's request limit is spent (HTTP 429: "Rate limit exceeded")` },
    { name: "a redirect", rule: { kind: "redirect", method: "GET", path: DNS } as FaultRule, kind: "config", message: expect.stringMatching(/^while reading the records, TransIP at "http:\/\/127\.0\.0\.1:\d+\/v6\/domains\/\{domain\}\/dns" redirected/) },
  ])("$name gives one clear line", async ({ name, rule, kind, message }) => {
    const provider = tpProvider(fake.url);
    const host = `fault-${name.length}.example.com`;
    expect(await one(provider, a(host, "2001:db8::5", { type: "AAAA" }))).toMatchObject({ ok: true });
    fake.fault({ ...rule, times: 1 });
    expect(await one(provider, a(host, "203.0.113.5"))).toMatchObject({ ok: false, kind, message });
  });

  it.each<{ name: string; pem: string; more: Record<string, string>; request?: RecordRequest; kind: string; message: unknown }>([
    { name: "a key of another account", pem: WRONG, more: {}, kind: "auth", message: `while looking up the zone, TransIP refused the signed sign-in (HTTP 401: "Authentication failed: the signature does not match the body and the login"); check DDNS_TRANSIP_LOGIN (the account name) and that DDNS_PROVIDER_API_TOKEN_FILE must hold the private key of a TransIP API key pair (Control panel → Account → API), in PEM and not encrypted` },
    { name: "a whitelist-only key asked for a global token", pem: PEM, more: { DDNS_TRANSIP_LOGIN: "locked" }, kind: "auth", message: expect.stringContaining("add this host's IP address to the key's whitelist, or use a key that is not whitelist-only (DDNS_TRANSIP_WHITELISTED_ONLY)") },
    { name: "a domain not in the account", pem: PEM, more: {}, request: a("home.example.net", "203.0.113.7"), kind: "config", message: `no TransIP zone holds "home.example.net" (tried "home.example.net", "example.net"); add the domain to the TransIP account of DDNS_TRANSIP_LOGIN` },
    { name: "a TTL TransIP refuses", pem: PEM, more: {}, request: a("short.example.com", "203.0.113.7", { ttl: 30 }), kind: "config", message: `while creating the record, TransIP refused the entry (HTTP 406: "expire must be at least 60 seconds"); check DDNS_RECORD_TTL (at least 60)` },
  ])("says what to do for $name", async ({ pem, more, request, kind, message }) => {
    expect(await one(tpProvider(fake.url, pem, more), request ?? a("home.example.com", "203.0.113.7"))).toMatchObject({ ok: false, kind, message });
  });

  it("never shows the session token TransIP echoes back in an error", async () => {
    fake.fault({ kind: "status", status: 500, method: "GET", path: "/domains", echo: "authorization", message: "Internal error" });
    const result = await one(tpProvider(fake.url), a("echo.example.com", "203.0.113.8"));
    expect(result).toMatchObject({ ok: false, kind: "transient", message: 'while looking up the zone, TransIP failed (HTTP 500: "Internal error (the request was: Bearer [REDACTED])")' });
    const tokens = bearerTokensSent(fake.requests);
    expect(tokens.length).toBeGreaterThan(0);
    expect(leakedPieces(JSON.stringify(result), tokens)).toEqual([]);
  });

  it("refuses a value that is no PEM key at configuration time", () => {
    expect(transip.parse({ DDNS_PROVIDER_API_TOKEN: "not-a-key", DDNS_TRANSIP_LOGIN: LOGIN })).toMatchObject({ ok: false, issue: { variable: "DDNS_PROVIDER_API_TOKEN", reason: expect.stringContaining("is not a private key in PEM") } });
  });
});
