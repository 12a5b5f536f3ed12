import { afterEach, describe, expect, it } from "bun:test";
import { unreachableUrl } from "../fakes/dyndns2/fake-dyndns2-server.ts";
import type { RecordRequest, RequestObserver } from "../../src/providers/kit/types.ts";
import { a, aaaa, createHarness, dryRunOptions, liveOptions, only, summary, type HarnessOptions } from "../fakes/dyndns2/provider-harness.ts";
import { startFakeDuckDns, type FakeDuckDns, type FakeDuckDnsConfig } from "../fakes/duckdns/fake-duckdns-server.ts";

const TOKEN = "d3adb33f-1234-4abc-9def-0123456789ab";
let fake: FakeDuckDns | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const duckdnsOf = (harness: ReturnType<typeof createHarness>, apiUrl: string) => harness.provider("duckdns", { DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_URL: apiUrl });

function setup(config: Partial<FakeDuckDnsConfig> = {}, options: HarnessOptions = {}) {
  fake = startFakeDuckDns({ token: TOKEN, domains: ["home", "cabin"], ...config });
  const harness = createHarness(options);
  return { fake, harness, provider: duckdnsOf(harness, fake.url) };
}

describe("duckdns requests", () => {
  it("sends GET /update with domains, token, ip and verbose, and a User-Agent", async () => {
    const { fake, provider } = setup({}, { userAgent: "ddnsd/9.9.9 (+https://github.com/ddnsd/ddnsd)" });
    expect(only(await provider.setRecords([a("home.duckdns.org", "203.0.113.5")], liveOptions()))).toMatchObject({ ok: true, outcome: "updated" });
    expect(fake.requests).toEqual([
      { path: "/update", query: { domains: "home", ip: "203.0.113.5", token: TOKEN, verbose: "true" }, userAgent: "ddnsd/9.9.9 (+https://github.com/ddnsd/ddnsd)", body: "OK\n203.0.113.5\n\nUPDATED" },
    ]);
  });

  it.each<{ name: string; requests: RecordRequest[]; queries: Array<Record<string, string>>; held: { A: string[]; AAAA: string[] } }>([
    { name: "A and AAAA of one name go in one request", requests: [a("home.duckdns.org", "203.0.113.5"), aaaa("home.duckdns.org", "2001:db8::5")], queries: [{ domains: "home", ip: "203.0.113.5", ipv6: "2001:db8::5" }], held: { A: ["203.0.113.5"], AAAA: ["2001:db8::5"] } },
    { name: "AAAA alone sends ipv6 only, so DuckDNS does not auto-detect an IPv4 address", requests: [aaaa("home.duckdns.org", "2001:db8::6")], queries: [{ domains: "home", ipv6: "2001:db8::6" }], held: { A: [], AAAA: ["2001:db8::6"] } },
    { name: "names with the same address share one request", requests: [a("home.duckdns.org", "203.0.113.7"), a("cabin.duckdns.org", "203.0.113.7")], queries: [{ domains: "home,cabin", ip: "203.0.113.7" }], held: { A: ["203.0.113.7"], AAAA: [] } },
  ])("$name", async ({ requests, queries, held }) => {
    const { fake, provider } = setup();
    const results = await provider.setRecords(requests, liveOptions());
    expect(results.every((r) => r.ok)).toBe(true);
    expect(fake.requests.map(({ query: { token, verbose, ...rest } }) => rest)).toEqual(queries);
    expect({ A: fake.read("home.duckdns.org", "A"), AAAA: fake.read("home.duckdns.org", "AAAA") }).toEqual(held);
  });

  it.each([
    { name: "a name outside duckdns.org", record: "home.example.com", message: "the name is not a DuckDNS name: DuckDNS updates only names of the form <subdomain>.duckdns.org; correct DDNS_RECORDS" },
    { name: "duckdns.org itself", record: "duckdns.org", message: "the name is not a DuckDNS name: DuckDNS updates only names of the form <subdomain>.duckdns.org; correct DDNS_RECORDS" },
    { name: "a name below a subdomain", record: "www.home.duckdns.org", message: 'DuckDNS cannot update this name on its own: it updates "home.duckdns.org", which also answers for every name below it; list "home.duckdns.org" in DDNS_RECORDS instead' },
    { name: "a wildcard", record: "*.home.duckdns.org", message: 'DuckDNS cannot update this name on its own: it updates "home.duckdns.org", which also answers for every name below it; list "home.duckdns.org" in DDNS_RECORDS instead' },
  ])("$name: config failure saying what to list instead, nothing sent", async ({ record, message }) => {
    const { fake, provider } = setup();
    expect(summary(only(await provider.setRecords([a(record, "203.0.113.5")], liveOptions())))).toEqual({ ok: false, kind: "config", message });
    expect(fake.writes()).toBe(0);
  });

  it("dry run: plans the write and sends nothing", async () => {
    const { fake, provider } = setup();
    expect(summary(only(await provider.setRecords([a("home.duckdns.org", "203.0.113.5")], dryRunOptions())))).toEqual({ ok: true, outcome: "planned" });
    expect(fake.writes()).toBe(0);
  });
});

type AnswerRow = { name: string; domains: string[]; raw?: FakeDuckDnsConfig["rawAnswer"]; expected: ReturnType<typeof summary>; observed: Parameters<RequestObserver>[0] };

describe("duckdns answers", () => {
  it.each<AnswerRow>([
    { name: "KO for a domain of another account", domains: ["cabin"], raw: undefined, expected: { ok: false, kind: "auth", message: "DuckDNS refused the update: check the token and that the domain belongs to it (DDNS_PROVIDER_API_TOKEN, DDNS_RECORDS)" }, observed: "error" },
    { name: "verbose NOCHANGE", domains: ["home"], raw: { status: 200, body: "OK\n203.0.113.5\n\nNOCHANGE" }, expected: { ok: true, outcome: "unchanged" }, observed: "ok" },
    { name: "plain OK", domains: ["home"], raw: { status: 200, body: "OK" }, expected: { ok: true, outcome: "updated" }, observed: "ok" },
    { name: "verbose OK showing another address", domains: ["home"], raw: { status: 200, body: "OK\n198.51.100.1\n\nUPDATED" }, expected: { ok: false, kind: "transient", message: 'DuckDNS answered "OK 198.51.100.1 UPDATED", which does not show 203.0.113.5' }, observed: "error" },
    // Not a 2xx and no DuckDNS answer: the kit's explanation of the status.
    { name: "an HTML error page", domains: ["home"], raw: { status: 503, body: "<html><body>Service Unavailable</body></html>" }, expected: { ok: false, kind: "transient", message: 'DuckDNS failed (HTTP 503: "<html><body>Service Unavailable</body></html>")' }, observed: "error" },
    { name: "an empty body", domains: ["home"], raw: { status: 200, body: "" }, expected: { ok: false, kind: "transient", message: "DuckDNS answered HTTP 200 with an empty body, which is not a DuckDNS answer" }, observed: "error" },
    { name: "HTTP 429", domains: ["home"], raw: { status: 429, body: "", headers: { "retry-after": "60" } }, expected: { ok: false, kind: "rate-limited", message: "DuckDNS asked ddnsd to slow down (HTTP 429)" }, observed: "rate-limited" },
  ])("$name (counted as $observed)", async ({ domains, raw, expected, observed }) => {
    const { provider, harness } = setup({ domains, ...(raw ? { rawAnswer: raw } : {}) });
    const result = only(await provider.setRecords([a("home.duckdns.org", "203.0.113.5")], liveOptions()));
    expect(summary(result)).toEqual(expected);
    expect(harness.observed).toEqual([observed]);
    expect([JSON.stringify(result), ...harness.log.lines].join("\n")).not.toContain(TOKEN);
  });
});

describe("duckdns never leaks the token", () => {
  it("unreachable: transient, names <base>/update without the query", async () => {
    const nowhere = await unreachableUrl();
    const harness = createHarness();
    const result = only(await duckdnsOf(harness, nowhere).setRecords([a("home.duckdns.org", "203.0.113.5")], liveOptions()));
    expect(summary(result)).toEqual({ ok: false, kind: "transient", message: `could not connect to DuckDNS at "${nowhere}/update?…" (connection refused); check DDNS_PROVIDER_API_URL and the network` });
    expect([JSON.stringify(result), ...harness.log.lines].join("\n")).not.toContain(TOKEN);
  });

  it.each([
    { name: "a refused connection", cause: "connection refused", message: 'could not connect to DuckDNS at "https://www.duckdns.org/update?…" (connection refused); check DDNS_PROVIDER_API_URL and the network' },
    { name: "another network error, quoted", cause: "tls handshake eof", message: 'the connection to DuckDNS failed ("error sending request for url (https://www.duckdns.org/update): tls handshake eof; token [REDACTED]")' },
  ])("a runtime error that quotes the whole request URL (as Deno's does), $name: stripped of query and token", async ({ cause, message }) => {
    const failing = async (input: string | URL | Request): Promise<Response> => {
      throw new TypeError(`error sending request for url (${input instanceof Request ? input.url : String(input)}): ${cause}; token ${TOKEN}`);
    };
    const harness = createHarness({ fetch: failing as unknown as typeof fetch });
    const result = only(await duckdnsOf(harness, "https://www.duckdns.org").setRecords([a("home.duckdns.org", "203.0.113.5")], liveOptions()));
    expect(summary(result)).toEqual({ ok: false, kind: "transient", message });
    expect([JSON.stringify(result), ...harness.log.lines].join("\n")).not.toContain(TOKEN);
  });

  it("no answer within the timeout: transient, could not confirm, no token", async () => {
    const { provider, harness } = setup({ delayMs: 500 }, { timeoutMs: 50 });
    const result = only(await provider.setRecords([a("home.duckdns.org", "203.0.113.5")], liveOptions()));
    expect(result).toMatchObject({ ok: false, kind: "transient", unconfirmed: true, message: "DuckDNS did not answer within 0.1 s" });
    expect(harness.observed).toEqual(["timeout"]);
  });
});
