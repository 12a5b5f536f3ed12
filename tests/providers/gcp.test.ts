import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { createGcpProvider, gcp } from "../../src/providers/gcp/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { bearerTokensSent, leakedPieces } from "../fakes/kit/sent-credentials.ts";
import { startFakeGcp, type FakeGcp, type FakeGcpOptions } from "../fakes/gcp/fake-gcp.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";

/** Cloud DNS: a key pair made here, the fake verifying the JWT with its public half; contract, black box, cases. */
const pair = () => generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
const RIGHT = pair();
const OTHER = pair();
const EMAIL = "ddnsd@my-project.iam.gserviceaccount.com";
const READER = "reader@my-project.iam.gserviceaccount.com";
const keyFile = (tokenUri: string, privateKey = RIGHT.privateKey, email = EMAIL) =>
  JSON.stringify({ type: "service_account", project_id: "my-project", private_key_id: "0123abcd", private_key: privateKey, client_email: email, client_id: "1", token_uri: tokenUri }, null, 2);
const dir = mkdtempSync(join(tmpdir(), "ddnsd-gcp-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let run = 0;

function gcpProvider(fake: { url: string; tokenUrl: string }, key = keyFile(fake.tokenUrl), env: Record<string, string> = {}): DnsProvider {
  const parsed = gcp.parse({ DDNS_PROVIDER_API_TOKEN: key, DDNS_PROVIDER_API_URL: fake.url, ...env });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return createGcpProvider(parsed.settings, { fetch, log: createMemoryLogger("debug"), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {} }, { confirmEveryMs: 20, confirmWithinMs: 200 });
}
const start = (o: Partial<FakeGcpOptions> = {}) =>
  startFakeGcp({ project: "my-project", zones: [{ name: "example-com", dnsName: "example.com." }], accounts: { [EMAIL]: RIGHT.publicKey, [READER]: RIGHT.publicKey }, readOnly: [READER], pendingPolls: 0, ...o });
const set = (p: DnsProvider, requests: RecordRequest[]) => p.setRecords(requests, { signal: AbortSignal.timeout(5_000), dryRun: false });
const one = async (p: DnsProvider, request: RecordRequest): Promise<RecordResult> => (await set(p, [request]))[0]!;
const a = (name: string, content: string, ttl?: number): RecordRequest => ({ name, type: "A", content, ...(ttl ? { ttl } : {}) });

providerContract("gcp", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: gcpProvider(fake),
    badAuthProvider: gcpProvider(fake, keyFile(fake.tokenUrl, OTHER.privateKey)),
    unreachableProvider: gcpProvider({ url: `http://127.0.0.1:${await freePort()}/dns/v1`, tokenUrl: fake.tokenUrl }),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [RIGHT.privateKey, OTHER.privateKey],
    read: async (name, type) => fake.read(name, type),
    writes: async () => fake.writes(),
    requests: async () => fake.requests.length,
    edit: async (name, type, contents) => fake.edit(name, type, contents),
    registry: "set",
    readTxt: async (name) => fake.read(name, "TXT"),
    close: () => fake.stop(),
  };
});

providerBlackbox({
  id: "gcp",
  canRead: gcp.capabilities.read,
  async start() {
    const fake = await start();
    const right = join(dir, "key.json");
    const wrong = join(dir, "wrong-key.json");
    writeFileSync(right, `${keyFile(fake.tokenUrl)}\n`);
    writeFileSync(wrong, keyFile(fake.tokenUrl, OTHER.privateKey));
    return {
      env: { DDNS_PROVIDER_TYPE: "gcp", DDNS_PROVIDER_API_TOKEN_FILE: right, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN_FILE: wrong }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [RIGHT.privateKey.split("\n")[5]!, OTHER.privateKey.split("\n")[5]!],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("gcp against its fake", () => {
  let fake: FakeGcp;
  beforeAll(async () => {
    fake = await start({ zones: [{ name: "example-com", dnsName: "example.com." }, { name: "sub-private", dnsName: "sub.example.com.", visibility: "private" }, { name: "sub-public", dnsName: "sub.example.com." }] });
  });
  afterAll(() => fake.stop());

  it("never shows the access token Cloud DNS echoes back in an error", async () => {
    fake.fault({ kind: "status", status: 500, method: "GET", path: "/projects/*/managedZones", echo: "authorization", message: "Backend error" });
    const result = await one(gcpProvider(fake), a("echo.example.com", "203.0.113.8"));
    expect(result).toMatchObject({ ok: false, kind: "transient", message: 'while looking up the zone, Cloud DNS failed (HTTP 500, HTTP 500 INTERNAL: "Backend error (the request was: Bearer [REDACTED])")' });
    const tokens = bearerTokensSent(fake.requests);
    expect(tokens.length).toBeGreaterThan(0);
    expect(leakedPieces(JSON.stringify(result), tokens)).toEqual([]);
  });

  it("asks for one token and reuses it until it expires", async () => {
    const p = gcpProvider(fake);
    const before = fake.grants();
    for (const n of [1, 2, 3]) expect(await one(p, a(`cached-${n}.example.com`, "203.0.113.1"))).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.grants()).toBe(before + 1);
  });

  it("asks for a new token once the old one has expired", async () => {
    const short = await start({ tokenLifeS: 61 });
    try {
      let now = Date.now();
      const parsed = gcp.parse({ DDNS_PROVIDER_API_TOKEN: keyFile(short.tokenUrl), DDNS_PROVIDER_API_URL: short.url });
      if (!parsed.ok) throw new Error("parse");
      const p = createGcpProvider(parsed.settings, { fetch, log: createMemoryLogger("debug"), now: () => now, random: Math.random, userAgent: "t", onRequest: () => {} }, { confirmEveryMs: 20 });
      await one(p, a("e1.example.com", "203.0.113.2"));
      now += 2_000; // past the token's life less the minute ddnsd keeps in hand
      await one(p, a("e2.example.com", "203.0.113.2"));
      expect(short.grants()).toBe(2);
    } finally {
      await short.stop();
    }
  });

  it("replaces a set with one change: the set as read deleted, the new one added with its TTL", async () => {
    fake.edit("repl.example.com", "A", ["192.0.2.1", "192.0.2.2"], 900);
    expect(await one(gcpProvider(fake), a("repl.example.com", "203.0.113.3"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1", "192.0.2.2"] });
    expect(fake.changes.at(-1)).toEqual({
      deletions: [{ name: "repl.example.com.", type: "A", ttl: 900, rrdatas: ["192.0.2.1", "192.0.2.2"] }],
      additions: [{ name: "repl.example.com.", type: "A", ttl: 900, rrdatas: ["203.0.113.3"] }],
    });
  });

  it("with DDNS_OWNER_ID adds its owner text to a TXT set that exists, in the same change as the new set", async () => {
    fake.edit("_ddnsd-a.reg.example.com", "TXT", ['"note by hand"'], 600);
    expect(await one(gcpProvider(fake), { ...a("reg.example.com", "203.0.113.5"), ownerId: "a" })).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.changes.at(-1)).toEqual({
      deletions: [{ name: "_ddnsd-a.reg.example.com.", type: "TXT", ttl: 600, rrdatas: ['"note by hand"'] }],
      additions: [
        { name: "_ddnsd-a.reg.example.com.", type: "TXT", ttl: 300, rrdatas: ['"note by hand"', '"heritage=ddnsd,owner=a"'] },
        { name: "reg.example.com.", type: "A", ttl: 300, rrdatas: ["203.0.113.5"] },
      ],
    });
  });

  it("puts a name into the public zone, not a private one of the same name", async () => {
    expect(await one(gcpProvider(fake), a("www.sub.example.com", "203.0.113.4"))).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.requests.filter((r) => r.method === "POST").at(-1)?.path).toBe("/projects/my-project/managedZones/sub-public/changes");
  });

  it("says it could not confirm a change that stays pending", async () => {
    const slow = await start({ pendingPolls: 1_000 });
    try {
      expect(await one(gcpProvider(slow), a("slow.example.com", "203.0.113.5"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true, message: "while waiting for the change to be applied, Cloud DNS accepted the change but did not report it applied in time" });
    } finally {
      await slow.stop();
    }
  });

  it.each([
    { name: "a key the account does not have", key: () => keyFile(fake.tokenUrl, OTHER.privateKey), message: `while looking up the zone, Google refused the service-account key (HTTP 400 "invalid_grant": "Invalid JWT Signature."); check DDNS_PROVIDER_API_TOKEN: a current key of an existing, enabled service account, and that the system clock is right` },
    { name: "an account without dns.changes.create", key: () => keyFile(fake.tokenUrl, RIGHT.privateKey, READER), message: `while writing the record set, Cloud DNS refused the POST (HTTP 403 PERMISSION_DENIED: "Forbidden: reader@my-project.iam.gserviceaccount.com does not have dns.changes.create access to the Google Cloud project…"); give the service account the role DNS Administrator (roles/dns.admin) on project "my-project", or check DDNS_GCP_PROJECT` },
  ])("refuses $name with what to fix", async ({ key, message }) => {
    const before = fake.writes();
    expect(await one(gcpProvider(fake, key()), a("refused.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "auth", message });
    expect(fake.writes()).toBe(before);
  });

  it("reads a change refused because the set changed meanwhile as transient", async () => {
    const p = gcpProvider(fake);
    fake.edit("race.example.com", "A", ["192.0.2.7"]);
    fake.fault({ kind: "status", status: 412, method: "POST", message: "Precondition not met for 'entity.change.deletions[0]'", times: 1 });
    expect(await one(p, a("race.example.com", "203.0.113.7"))).toMatchObject({ ok: false, kind: "transient", message: expect.stringContaining("Cloud DNS refused the change because the record set changed meanwhile (HTTP 412 FAILED_PRECONDITION") });
    expect(await one(p, a("race.example.com", "203.0.113.7"))).toMatchObject({ ok: true, outcome: "updated" });
  });

  it.each([
    { name: "a 429", rule: { kind: "rate-limit", path: "/projects/*/managedZones/*/rrsets" } as FaultRule, want: { kind: "rate-limited", retryAfterMs: 1000 } },
    { name: "an HTML page", rule: { kind: "html", path: "/projects/*/managedZones/*/rrsets" } as FaultRule, want: { kind: "transient", message: expect.stringContaining("HTML page") } },
    { name: "a gzip bomb", rule: { kind: "gzip-bomb", path: "/projects/*/managedZones/*/rrsets" } as FaultRule, want: { kind: "transient", message: expect.stringContaining("compressed") } },
  ])("$name gives one clear line", async ({ rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    expect(await one(gcpProvider(fake), a("fault.example.com", "203.0.113.8"))).toMatchObject({ ok: false, ...want });
  });

  it.each([
    { name: "not JSON", raw: "not json", reason: "is not JSON; give the service-account key file the Google Cloud console downloads (DDNS_PROVIDER_API_TOKEN_FILE)" },
    { name: "another kind of credential", raw: JSON.stringify({ type: "authorized_user" }), reason: `holds no service-account key ("type" is not "service_account"); create a key under IAM → Service accounts → Keys` },
  ])("refuses a key that is $name at configuration time", ({ raw, reason }) => {
    expect(gcp.parse({ DDNS_PROVIDER_API_TOKEN: raw })).toEqual({ ok: false, issue: { variable: "DDNS_PROVIDER_API_TOKEN", reason } });
  });
});
