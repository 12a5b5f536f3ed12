import { afterAll, afterEach, beforeAll, describe, expect, it } from "bun:test";
import { NAMECHEAP_IPV4_ONLY, namecheap } from "../../src/providers/namecheap/descriptor.ts";
import { assertNoSecretLeaked, spawnDaemon } from "../blackbox/harness.ts";
import { unreachableUrl } from "../fakes/dyndns2/fake-dyndns2-server.ts";
import { startIpEcho, type IpEchoServer } from "../fakes/ip-echo.ts";
import { a, aaaa, createHarness, dryRunOptions, liveOptions, only, summary, uniqueLabel, type HarnessOptions } from "../fakes/dyndns2/provider-harness.ts";
import { namecheapXml, startFakeNamecheap, type FakeNamecheap, type FakeNamecheapConfig } from "../fakes/namecheap/fake-namecheap-server.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";

/** Namecheap dynamic DNS: the contract suite and the black-box runs against its fake, then its requests and answers. */
const PASSWORD = "0123456789abcdef0123456789abcdef";
const WRONG = "ffffffffffffffffffffffffffffffff";

const namecheapOf = (harness: ReturnType<typeof createHarness>, apiUrl: string, token = PASSWORD, domain?: string) =>
  harness.provider("namecheap", { DDNS_PROVIDER_API_TOKEN: token, DDNS_NAMECHEAP_DOMAIN: domain, DDNS_PROVIDER_API_URL: apiUrl });

providerContract("namecheap", async () => {
  const hosts = [uniqueLabel("one"), uniqueLabel("two")];
  const fake = startFakeNamecheap({ domains: { "example.com": { password: PASSWORD, hosts: { [hosts[0]!]: undefined, [hosts[1]!]: undefined } } } });
  const make = (token: string, url: string) => namecheapOf(createHarness(), url, token);
  return {
    provider: make(PASSWORD, fake.url),
    badAuthProvider: make(WRONG, fake.url),
    unreachableProvider: make(PASSWORD, await unreachableUrl()),
    names: [`${hosts[0]}.example.com`, `${hosts[1]}.example.com`],
    secrets: [PASSWORD, WRONG],
    ipv4Only: NAMECHEAP_IPV4_ONLY,
    read: async (name, type) => fake.read(name, type),
    writes: async () => fake.writes(),
    requests: async () => fake.requests.length,
    close: () => fake.close(),
  };
});

providerBlackbox({
  id: "namecheap",
  canRead: namecheap.capabilities.read,
  ipv4Only: true,
  async start() {
    const fake = startFakeNamecheap({ domains: { "example.com": { password: PASSWORD, hosts: { home: undefined } } } });
    return {
      env: { DDNS_PROVIDER_TYPE: "namecheap", DDNS_PROVIDER_API_TOKEN: PASSWORD, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [PASSWORD, WRONG],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      stop: () => fake.close(),
    };
  },
});

let fake: FakeNamecheap | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function setup(config: Partial<FakeNamecheapConfig> = {}, options: HarnessOptions = {}, domain?: string) {
  fake = startFakeNamecheap({ domains: { "example.com": { password: PASSWORD, hosts: { "@": undefined, home: undefined, "*": undefined, "a.lab": undefined } }, "example.co.uk": { password: PASSWORD, hosts: { home: undefined } } }, ...config });
  const harness = createHarness(options);
  return { fake, harness, provider: namecheapOf(harness, fake.url, PASSWORD, domain) };
}

describe("namecheap requests", () => {
  it("sends GET /update with host, domain, password and ip, and a User-Agent", async () => {
    const { fake, provider } = setup({}, { userAgent: "ddnsd/9.9.9" });
    expect(summary(only(await provider.setRecords([a("home.example.com", "203.0.113.5")], liveOptions())))).toEqual({ ok: true, outcome: "updated" });
    expect(fake.requests.map(({ path, query, userAgent }) => ({ path, query, userAgent }))).toEqual([
      { path: "/update", query: { host: "home", domain: "example.com", password: PASSWORD, ip: "203.0.113.5" }, userAgent: "ddnsd/9.9.9" },
    ]);
  });

  it.each([
    { name: "the domain itself is host @", record: "example.com", domain: undefined, query: { host: "@", domain: "example.com" } },
    { name: "the wildcard is host *", record: "*.example.com", domain: undefined, query: { host: "*", domain: "example.com" } },
    { name: "a deeper name keeps its labels", record: "a.lab.example.com", domain: undefined, query: { host: "a.lab", domain: "example.com" } },
    { name: "DDNS_NAMECHEAP_DOMAIN for a two-label suffix", record: "home.example.co.uk", domain: "example.co.uk", query: { host: "home", domain: "example.co.uk" } },
  ])("$name", async ({ record, domain, query }) => {
    const { fake, provider } = setup({}, {}, domain);
    expect(summary(only(await provider.setRecords([a(record, "203.0.113.5")], liveOptions())))).toEqual({ ok: true, outcome: "updated" });
    expect(fake.requests.map(({ query: { host, domain } }) => ({ host, domain }))).toEqual([query]);
  });

  it.each([
    { name: "an AAAA record (IPv4 only)", request: aaaa("home.example.com", "2001:db8::5"), domain: undefined, message: NAMECHEAP_IPV4_ONLY },
    { name: "a name outside DDNS_NAMECHEAP_DOMAIN", request: a("home.example.net", "203.0.113.5"), domain: "example.com", message: 'the name is not in "example.com" (DDNS_NAMECHEAP_DOMAIN): list names of that domain in DDNS_RECORDS, or give the other domain its own target' },
  ])("$name: a config failure, nothing sent", async ({ request, domain, message }) => {
    const { fake, provider } = setup({}, {}, domain);
    expect(summary(only(await provider.setRecords([request], liveOptions())))).toEqual({ ok: false, kind: "config", message });
    expect(fake.requests.length).toBe(0);
  });

  it("dry run: plans the write and sends nothing", async () => {
    const { fake, provider } = setup();
    expect(summary(only(await provider.setRecords([a("home.example.com", "203.0.113.5")], dryRunOptions())))).toEqual({ ok: true, outcome: "planned" });
    expect(fake.requests.length).toBe(0);
  });
});

describe("namecheap answers", () => {
  const STOP = " ddnsd stops updating this record until it restarts with a corrected configuration.";
  it.each<{ name: string; record?: string; raw?: FakeNamecheapConfig["rawAnswer"]; token?: string; expected: ReturnType<typeof summary>; final?: boolean }>([
    { name: "a wrong password", token: WRONG, expected: { ok: false, kind: "auth", message: `Namecheap answered "Passwords do not match": set DDNS_PROVIDER_API_TOKEN to the Dynamic DNS password of "example.com" (Domain List → Manage → Advanced DNS → Dynamic DNS).${STOP}` }, final: true },
    { name: "a host without an A record", record: "nas.example.com", expected: { ok: false, kind: "config", message: `Namecheap answered "No Records updated. A record not Found;": create an A record for host "nas" in the Advanced DNS of "example.com", then restart ddnsd.${STOP}` }, final: true },
    { name: "a domain that is not at Namecheap", record: "home.example.org", expected: { ok: false, kind: "config", message: `Namecheap answered "Domain name not found": "example.org" (the name's last two labels) must be a domain at Namecheap with Dynamic DNS enabled; correct DDNS_NAMECHEAP_DOMAIN or DDNS_RECORDS.${STOP}` }, final: true },
    { name: "another error, quoted", raw: { status: 200, body: namecheapXml({ error: { text: "Too many requests, slow down", number: 1 } }) }, expected: { ok: false, kind: "transient", message: 'Namecheap answered "Too many requests, slow down"' } },
    { name: "success showing another address", raw: { status: 200, body: namecheapXml({ ip: "198.51.100.1" }) }, expected: { ok: false, kind: "transient", message: 'Namecheap answered that it set "198.51.100.1", not 203.0.113.5' } },
    { name: "success without <IP>", raw: { status: 200, body: namecheapXml({}) }, expected: { ok: true, outcome: "updated" } },
    { name: "an HTML error page", raw: { status: 503, body: "<html><body>Service Unavailable</body></html>" }, expected: { ok: false, kind: "transient", message: 'Namecheap failed (HTTP 503: "<html><body>Service Unavailable</body></html>")' } },
    { name: "a 200 that is not XML", raw: { status: 200, body: "good 203.0.113.5" }, expected: { ok: false, kind: "transient", message: 'Namecheap answered HTTP 200 with "good 203.0.113.5", which is not a Namecheap answer' } },
    { name: "HTTP 429", raw: { status: 429, body: "", headers: { "retry-after": "60" } }, expected: { ok: false, kind: "rate-limited", message: "Namecheap asked ddnsd to slow down (HTTP 429)" } },
  ])("$name", async ({ record, raw, token, expected, final }) => {
    fake = startFakeNamecheap({ domains: { "example.com": { password: PASSWORD, hosts: { home: undefined } } }, ...(raw ? { rawAnswer: raw } : {}) });
    const harness = createHarness();
    const result = only(await namecheapOf(harness, fake.url, token ?? PASSWORD).setRecords([a(record ?? "home.example.com", "203.0.113.5")], liveOptions()));
    expect(summary(result)).toEqual(expected);
    expect(!result.ok && result.final === true).toBe(final ?? false);
    const shown = [JSON.stringify(result), ...harness.log.lines].join("\n");
    expect(shown).not.toContain(PASSWORD);
    expect(shown).not.toContain(WRONG);
  });

  it("unreachable: transient, the endpoint shown without its query", async () => {
    const nowhere = await unreachableUrl();
    const result = only(await namecheapOf(createHarness(), nowhere).setRecords([a("home.example.com", "203.0.113.5")], liveOptions()));
    expect(summary(result)).toEqual({ ok: false, kind: "transient", message: `could not connect to Namecheap at "${nowhere}/update?…" (connection refused); check DDNS_PROVIDER_API_URL and the network` });
  });
});

describe("namecheap with IPv6 configured, black-box", () => {
  let ip: IpEchoServer;
  beforeAll(() => {
    ip = startIpEcho({ v4: "203.0.113.7", v6: "2001:db8::7" });
  });
  afterAll(async () => {
    await ip.stop();
    assertNoSecretLeaked();
  });

  it("updates the A record and names the AAAA record in one configuration error; exit 2", async () => {
    fake = startFakeNamecheap({ domains: { "example.com": { password: PASSWORD, hosts: { home: undefined } } } });
    const env = { DDNS_PROVIDER_TYPE: "namecheap", DDNS_PROVIDER_API_TOKEN: PASSWORD, DDNS_PROVIDER_API_URL: fake.url, DDNS_RECORDS: "home.example.com", DDNS_IP_SOURCE_URLS_V4: `${ip.url}/v4`, DDNS_IP_SOURCE_URLS_V6: `${ip.url}/v6`, DDNS_IP_VERSIONS: "4,6", DDNS_HTTP_ADDR: "off" };
    const daemon = spawnDaemon(["once"], env, [PASSWORD]);
    const r = { code: await daemon.exited(15_000), lines: daemon.lines };
    const failures = r.lines.filter((l) => l.startsWith("ERROR Could not update"));
    expect({ code: r.code, failures: failures.length }).toEqual({ code: 2, failures: 1 });
    expect(failures[0]).toBe(`ERROR Could not update AAAA record home.example.com to 2001:db8::7: ${NAMECHEAP_IPV4_ONLY} kind=config attempt=1`);
    expect(fake.read("home.example.com", "A")).toEqual(["203.0.113.7"]);
  });
});
