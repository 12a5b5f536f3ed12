import { afterEach, describe, expect, it } from "bun:test";
import { freedns } from "../../src/providers/freedns/descriptor.ts";
import { unreachableUrl } from "../fakes/dyndns2/fake-dyndns2-server.ts";
import { a, aaaa, createHarness, dryRunOptions, liveOptions, only, summary, uniqueLabel, type HarnessOptions } from "../fakes/dyndns2/provider-harness.ts";
import { startFakeFreeDns, type FakeFreeDns, type FakeFreeDnsConfig } from "../fakes/freedns/fake-freedns-server.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";

/** FreeDNS: the contract suite and the black-box runs against its fake, then its requests, answers and tokens. */
const T_HOME = "Zk3aQ9wLx2RtY7uVb1Nc4M8p";
const T_HOME6 = "Hq5sD2fG8jK1lP0oI9uY6tRe";
const T_CABIN = "Wm7nB3vC5xZ1aS4dF6gH8jKl";
const WRONG = "AAAAAAAAAAAAAAAAAAAAAAAA";
const SECRETS = [T_HOME, T_HOME6, T_CABIN, WRONG];

const freednsOf = (harness: ReturnType<typeof createHarness>, apiUrl: string, token: string, aaaaToken?: string) =>
  harness.provider("freedns", { DDNS_PROVIDER_API_TOKEN: token, DDNS_FREEDNS_AAAA_TOKEN: aaaaToken, DDNS_PROVIDER_API_URL: apiUrl });

providerContract("freedns", async () => {
  const names = [`${uniqueLabel("one")}.mooo.com`, `${uniqueLabel("two")}.mooo.com`] as [string, string];
  const fake = startFakeFreeDns({ tokens: { [T_HOME]: { name: names[0], type: "A" }, [T_CABIN]: { name: names[1], type: "A" }, [T_HOME6]: { name: names[1], type: "AAAA" } } });
  const tokens = `${names[0]}=${T_HOME},${names[1]}=${T_CABIN}`;
  const make = (token: string, url: string) => freednsOf(createHarness(), url, token, `${names[1]}=${T_HOME6}`);
  return {
    provider: make(tokens, fake.url),
    badAuthProvider: make(`${names[0]}=${WRONG}`, fake.url),
    unreachableProvider: make(tokens, await unreachableUrl()),
    names,
    secrets: SECRETS,
    read: async (name, type) => fake.read(name, type),
    writes: async () => fake.writes(),
    requests: async () => fake.requests.length,
    close: () => fake.close(),
  };
});

providerBlackbox({
  id: "freedns",
  canRead: freedns.capabilities.read,
  async start() {
    const fake = startFakeFreeDns({ tokens: { [T_HOME]: { name: "home.mooo.com", type: "A" }, [T_HOME6]: { name: "home.mooo.com", type: "AAAA" } } });
    return {
      env: { DDNS_PROVIDER_TYPE: "freedns", DDNS_PROVIDER_API_TOKEN: T_HOME, DDNS_FREEDNS_AAAA_TOKEN: T_HOME6, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.mooo.com",
      secrets: SECRETS,
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      stop: () => fake.close(),
    };
  },
});

let fake: FakeFreeDns | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function setup(config: Partial<FakeFreeDnsConfig> = {}, options: HarnessOptions = {}, tokens = { a: `home.mooo.com=${T_HOME},cabin.mooo.com=${T_CABIN}`, aaaa: T_HOME6 as string | undefined }) {
  fake = startFakeFreeDns({ tokens: { [T_HOME]: { name: "home.mooo.com", type: "A" }, [T_HOME6]: { name: "home.mooo.com", type: "AAAA" }, [T_CABIN]: { name: "cabin.mooo.com", type: "A" } }, ...config });
  const harness = createHarness(options);
  return { fake, harness, provider: freednsOf(harness, fake.url, tokens.a, tokens.aaaa) };
}

describe("freedns requests", () => {
  it("sends GET /u/<the record's token>/?address=<ip> with a User-Agent, one request per record", async () => {
    const { fake, provider } = setup({}, { userAgent: "ddnsd/9.9.9" });
    const results = await provider.setRecords([a("home.mooo.com", "203.0.113.5"), a("cabin.mooo.com", "203.0.113.5"), aaaa("home.mooo.com", "2001:db8::5")], liveOptions());
    expect(results.map(summary)).toEqual([{ ok: true, outcome: "updated" }, { ok: true, outcome: "updated" }, { ok: true, outcome: "updated" }]);
    expect(fake.requests.map(({ path, query, userAgent }) => ({ path, query, userAgent }))).toEqual([
      { path: `/u/${T_HOME}/`, query: { address: "203.0.113.5" }, userAgent: "ddnsd/9.9.9" },
      { path: `/u/${T_CABIN}/`, query: { address: "203.0.113.5" }, userAgent: "ddnsd/9.9.9" },
      { path: `/u/${T_HOME6}/`, query: { address: "2001:db8::5" }, userAgent: "ddnsd/9.9.9" },
    ]);
  });

  it.each([
    { name: "a name without a token", request: a("other.mooo.com", "203.0.113.5"), message: 'FreeDNS updates each record with its own token, and DDNS_PROVIDER_API_TOKEN has none for this A record: add "other.mooo.com=<token>" to DDNS_PROVIDER_API_TOKEN' },
    { name: "an AAAA record without DDNS_FREEDNS_AAAA_TOKEN", request: aaaa("cabin.mooo.com", "2001:db8::5"), message: 'FreeDNS updates each record with its own token, and DDNS_FREEDNS_AAAA_TOKEN has none for this AAAA record: add "cabin.mooo.com=<token>" to DDNS_FREEDNS_AAAA_TOKEN, or leave IPv6 out (DDNS_IP_VERSIONS=4)' },
  ])("$name: a config failure that says what to add, nothing sent", async ({ request, message }) => {
    const { fake, provider } = setup({}, {}, { a: `home.mooo.com=${T_HOME},cabin.mooo.com=${T_CABIN}`, aaaa: `home.mooo.com=${T_HOME6}` });
    expect(summary(only(await provider.setRecords([request], liveOptions())))).toEqual({ ok: false, kind: "config", message });
    expect(fake.requests.length).toBe(0);
  });

  it("a bare token serves every name of the target", async () => {
    const { fake, provider } = setup({ tokens: { [T_HOME]: { name: "home.mooo.com", type: "A" } } }, {}, { a: T_HOME, aaaa: undefined });
    expect(summary(only(await provider.setRecords([a("home.mooo.com", "203.0.113.6")], liveOptions())))).toEqual({ ok: true, outcome: "updated" });
    expect(fake.read("home.mooo.com", "A")).toEqual(["203.0.113.6"]);
  });

  it("dry run: plans the write and sends nothing", async () => {
    const { fake, provider } = setup();
    expect(summary(only(await provider.setRecords([a("home.mooo.com", "203.0.113.5")], dryRunOptions())))).toEqual({ ok: true, outcome: "planned" });
    expect(fake.requests.length).toBe(0);
  });
});

describe("freedns answers", () => {
  it.each<{ name: string; raw?: FakeFreeDnsConfig["rawAnswer"]; tokens?: FakeFreeDnsConfig["tokens"]; expected: ReturnType<typeof summary>; final?: boolean }>([
    { name: "v2 no change", raw: { status: 200, body: "No IP change detected for home.mooo.com with IP 203.0.113.5, skipping update\n" }, expected: { ok: true, outcome: "unchanged" } },
    { name: "v1 'has not changed'", raw: { status: 200, body: "ERROR: Address 203.0.113.5 has not changed." }, expected: { ok: true, outcome: "unchanged" } },
    { name: "an unknown token", tokens: {}, expected: { ok: false, kind: "auth", message: 'FreeDNS refused the update token ("ERROR: Unable to locate this record (changed password recently? deleted and re-created this dns entry?) (double check username/password are correct)"): copy the record\'s token from freedns.afraid.org → Dynamic DNS into DDNS_PROVIDER_API_TOKEN. ddnsd stops updating this record until it restarts with a corrected configuration.' }, final: true },
    { name: "the token of another record", tokens: { [T_HOME]: { name: "nas.mooo.com", type: "A" } }, expected: { ok: false, kind: "config", message: 'FreeDNS answered "Updated 1 host(s) nas.mooo.com to 203.0.113.5 in 0.123 seconds": the token belongs to another record; give this record its own token in DDNS_PROVIDER_API_TOKEN. ddnsd stops updating this record until it restarts with a corrected configuration.' }, final: true },
    { name: "'Updated' showing another address", raw: { status: 200, body: "Updated 1 host(s) home.mooo.com to 198.51.100.1 in 0.1 seconds" }, expected: { ok: false, kind: "transient", message: 'FreeDNS answered "Updated 1 host(s) home.mooo.com to 198.51.100.1 in 0.1 seconds", which does not show 203.0.113.5' } },
    { name: "another ERROR, quoted", raw: { status: 200, body: "ERROR: database maintenance, try later" }, expected: { ok: false, kind: "transient", message: 'FreeDNS answered "ERROR: database maintenance, try later"' } },
    { name: "an HTML error page", raw: { status: 502, body: "<html><body>Bad Gateway</body></html>" }, expected: { ok: false, kind: "transient", message: 'FreeDNS failed (HTTP 502: "<html><body>Bad Gateway</body></html>")' } },
    { name: "an empty 200", raw: { status: 200, body: "" }, expected: { ok: false, kind: "transient", message: "FreeDNS answered HTTP 200 with an empty body, which is not a FreeDNS answer" } },
    { name: "HTTP 429", raw: { status: 429, body: "", headers: { "retry-after": "60" } }, expected: { ok: false, kind: "rate-limited", message: "FreeDNS asked ddnsd to slow down (HTTP 429)" } },
  ])("$name", async ({ raw, tokens, expected, final }) => {
    const { provider, harness } = setup({ ...(raw ? { rawAnswer: raw } : {}), ...(tokens ? { tokens } : {}) });
    const result = only(await provider.setRecords([a("home.mooo.com", "203.0.113.5")], liveOptions()));
    expect(summary(result)).toEqual(expected);
    expect(!result.ok && result.final === true).toBe(final ?? false);
    const shown = [JSON.stringify(result), ...harness.log.lines].join("\n");
    for (const secret of SECRETS) expect(shown).not.toContain(secret);
  });

  it("unreachable: transient, the endpoint shown without its token", async () => {
    const nowhere = await unreachableUrl();
    const harness = createHarness();
    const result = only(await freednsOf(harness, nowhere, T_HOME).setRecords([a("home.mooo.com", "203.0.113.5")], liveOptions()));
    expect(summary(result)).toEqual({ ok: false, kind: "transient", message: `could not connect to FreeDNS at "${nowhere}/u/[REDACTED]/?…" (connection refused); check DDNS_PROVIDER_API_URL and the network` });
  });
});

describe("freedns tokens at check", () => {
  it.each([
    { name: "a malformed token", variables: { DDNS_PROVIDER_API_TOKEN: "home.mooo.com=abc/def" }, issue: "DDNS_PROVIDER_API_TOKEN has a malformed token in entry 1: a FreeDNS token is letters and digits (the part of the update URL after /u/)" },
    { name: "two bare tokens", variables: { DDNS_PROVIDER_API_TOKEN: `${T_HOME},${T_CABIN}` }, issue: "DDNS_PROVIDER_API_TOKEN holds more than one bare token: write each extra one as <name>=<token>" },
    { name: "a name twice", variables: { DDNS_PROVIDER_API_TOKEN: `a.mooo.com=${T_HOME},A.mooo.com=${T_CABIN}` }, issue: 'DDNS_PROVIDER_API_TOKEN names "a.mooo.com" twice' },
    { name: "white space in the AAAA tokens", variables: { DDNS_PROVIDER_API_TOKEN: T_HOME, DDNS_FREEDNS_AAAA_TOKEN: `not a name=${T_HOME6}` }, issue: "DDNS_FREEDNS_AAAA_TOKEN contains white space; a provider secret is a single word (check for a pasted line break)" },
    { name: "a name that is no DNS name", variables: { DDNS_PROVIDER_API_TOKEN: T_HOME, DDNS_FREEDNS_AAAA_TOKEN: `bad..mooo.com=${T_HOME6}` }, issue: 'DDNS_FREEDNS_AAAA_TOKEN has "bad..mooo.com" in entry 1, which is not a DNS name: write <name>=<token>' },
  ])("$name: the configuration error names the variable", ({ variables, issue }) => {
    const parsed = freedns.parse(variables);
    expect(parsed.ok ? "valid" : `${parsed.issue.variable} ${parsed.issue.reason}`).toBe(issue);
  });
});
