import { afterEach, describe, expect, it } from "bun:test";
import { dyndns2, noip } from "../../src/providers/dyndns2/descriptor.ts";
import { basicAuthorization } from "../../src/providers/dyndns2/dyndns2-provider.ts";
import type { DynDns2PresetName } from "../../src/providers/dyndns2/services.ts";
import { ddnsdUserAgent, DEFAULT_USER_AGENT } from "../../src/providers/kit/user-agent.ts";
import { startFakeDynDns2, unreachableUrl, type FakeDynDns2, type StartOptions } from "../fakes/dyndns2/fake-dyndns2-server.ts";
import { a, aaaa, createHarness, dryRunOptions, liveOptions, only, summary, type HarnessOptions } from "../fakes/dyndns2/provider-harness.ts";

const SECRET = "Sup3r-Secret-Token!";
let fake: FakeDynDns2 | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const variables = (apiUrl: string, preset?: DynDns2PresetName) => ({
  DDNS_PROVIDER_API_TOKEN: SECRET,
  DDNS_PROVIDER_API_URL: apiUrl,
  DDNS_DYNDNS2_USERNAME: "alice",
  DDNS_DYNDNS2_PRESET: preset,
});

function setup(fakeOptions: StartOptions, options: HarnessOptions & { preset?: DynDns2PresetName } = {}) {
  fake = startFakeDynDns2({ users: { alice: SECRET }, hosts: ["a.example.net", "b.example.net", "c.example.net"], ...fakeOptions });
  const harness = createHarness(options);
  return { fake, harness, provider: harness.provider("dyndns2", variables(fake.url, options.preset)) };
}

describe("dyndns2 request shape", () => {
  it("sends GET /nic/update with hostname and myip, Basic auth and a descriptive User-Agent", async () => {
    const { fake, provider } = setup({});
    expect(only(await provider.setRecords([a("a.example.net", "203.0.113.5")], liveOptions()))).toMatchObject({ ok: true, outcome: "updated" });
    expect(fake.requests).toEqual([
      expect.objectContaining({
        path: "/nic/update",
        query: { hostname: "a.example.net", myip: "203.0.113.5" },
        authorization: basicAuthorization("alice", SECRET),
        userAgent: DEFAULT_USER_AGENT,
      }),
    ]);
    expect(DEFAULT_USER_AGENT).toBe("ddnsd (+https://github.com/ddnsd/ddnsd)");
  });

  it("sends the User-Agent it is given, e.g. with the version", async () => {
    const { fake, provider } = setup({}, { userAgent: ddnsdUserAgent("1.2.3") });
    await provider.setRecords([a("a.example.net", "203.0.113.5")], liveOptions());
    expect(fake.requests[0]?.userAgent).toBe("ddnsd/1.2.3 (+https://github.com/ddnsd/ddnsd)");
  });

  it.each([
    { name: "noip sends A and AAAA of one name in one request", preset: "noip", fake: {}, queries: [{ hostname: "a.example.net", myip: "203.0.113.5", myipv6: "2001:db8::5" }] },
    { name: "generic sends IPv6 in myip, one family per request", preset: undefined, fake: { ipv6Param: "myip" }, queries: [{ hostname: "a.example.net", myip: "203.0.113.5" }, { hostname: "a.example.net", myip: "2001:db8::5" }] },
    { name: "ovh adds system=dyndns and sends IPv6 in myip", preset: "ovh", fake: { ipv6Param: "myip", requiredQuery: { system: "dyndns" } }, queries: [{ hostname: "a.example.net", system: "dyndns", myip: "203.0.113.5" }, { hostname: "a.example.net", system: "dyndns", myip: "2001:db8::5" }] },
    { name: "dynu sends both in one request", preset: "dynu", fake: { keepValue: "no" }, queries: [{ hostname: "a.example.net", myip: "203.0.113.5", myipv6: "2001:db8::5" }] },
  ] as const)("$name", async ({ preset, fake: fakeOptions, queries }) => {
    const { fake, provider } = setup(fakeOptions as StartOptions, preset ? { preset } : {});
    const results = await provider.setRecords([a("a.example.net", "203.0.113.5"), aaaa("a.example.net", "2001:db8::5")], liveOptions());
    expect(results.map(summary)).toEqual([{ ok: true, outcome: "updated" }, { ok: true, outcome: "updated" }]);
    expect(fake.requests.map((r) => r.query)).toEqual(queries as unknown as Array<Record<string, string>>);
    expect(fake.read("a.example.net", "A")).toEqual(["203.0.113.5"]);
    expect(fake.read("a.example.net", "AAAA")).toEqual(["2001:db8::5"]);
  });

  it.each([
    { name: "deSEC keeps AAAA with myipv6=preserve when only A changes", preset: "desec", keep: "preserve", request: a("a.example.net", "203.0.113.9"), query: { hostname: "a.example.net", myip: "203.0.113.9", myipv6: "preserve" } },
    { name: "deSEC keeps A with myip=preserve when only AAAA changes", preset: "desec", keep: "preserve", request: aaaa("a.example.net", "2001:db8::9"), query: { hostname: "a.example.net", myip: "preserve", myipv6: "2001:db8::9" } },
    { name: "Dynu keeps AAAA with myipv6=no when only A changes", preset: "dynu", keep: "no", request: a("a.example.net", "203.0.113.9"), query: { hostname: "a.example.net", myip: "203.0.113.9", myipv6: "no" } },
  ] as const)("$name", async ({ preset, keep, request, query }) => {
    const { fake, provider } = setup({ keepValue: keep, deleteMissing: true }, { preset });
    fake.records.set("a.example.net", { A: "198.51.100.1", AAAA: "2001:db8::1" });
    expect(only(await provider.setRecords([request], liveOptions()))).toMatchObject({ ok: true });
    expect(fake.requests[0]?.query).toEqual(query);
    const other = request.type === "A" ? "AAAA" : "A";
    expect(fake.read("a.example.net", other)).toEqual([other === "A" ? "198.51.100.1" : "2001:db8::1"]);
  });

  it("dynv6: AAAA is a config failure (its DynDNS endpoint sets IPv4 only) and is never sent", async () => {
    const { fake, provider } = setup({ ipv6Param: null }, { preset: "dynv6" });
    const results = await provider.setRecords([a("a.example.net", "203.0.113.5"), aaaa("a.example.net", "2001:db8::5")], liveOptions());
    expect(results.map(summary)).toEqual([
      { ok: true, outcome: "updated" },
      { ok: false, kind: "config", message: "dynv6 updates IPv4 addresses only, so AAAA records cannot be managed: set DDNS_IP_VERSIONS=4" },
    ]);
    expect(fake.requests.map((r) => r.query)).toEqual([{ hostname: "a.example.net", myip: "203.0.113.5" }]);
  });
});

describe("dyndns2 multi-host requests", () => {
  it("sends names with the same address in one request and maps answer lines in order", async () => {
    const { fake, provider } = setup({ hostCodes: { "b.example.net": "abuse" } }, { preset: "noip" });
    const results = await provider.setRecords(["a", "b", "c"].map((n) => a(`${n}.example.net`, "203.0.113.5")), liveOptions());
    expect(fake.requests.map((r) => r.query)).toEqual([{ hostname: "a.example.net,b.example.net,c.example.net", myip: "203.0.113.5" }]);
    expect(fake.requests[0]?.body).toBe("good 203.0.113.5\nabuse\ngood 203.0.113.5");
    expect(results.map((r) => [r.request.name, r.ok])).toEqual([["a.example.net", true], ["b.example.net", false], ["c.example.net", true]]);
  });

  it("an account code given once applies to every hostname of the request", async () => {
    const { provider } = setup({ fault: "!donator" }, { preset: "noip" });
    const results = await provider.setRecords([a("a.example.net", "203.0.113.5"), a("b.example.net", "203.0.113.5")], liveOptions());
    expect(results.map((r) => (r.ok ? "ok" : r.kind))).toEqual(["config", "config"]);
  });

  it("a missing answer line leaves that hostname unconfirmed", async () => {
    const { provider } = setup({ rawAnswer: { status: 200, body: "good 203.0.113.5" } }, { preset: "noip" });
    const results = await provider.setRecords([a("a.example.net", "203.0.113.5"), a("b.example.net", "203.0.113.5")], liveOptions());
    expect(results.map(summary)).toEqual([
      { ok: true, outcome: "updated" },
      { ok: false, kind: "transient", message: 'No-IP sent no answer line for this name (the request named "a.example.net", "b.example.net")' },
    ]);
  });

  it("respects the preset's hostnames per request (deSEC: one) and separates different addresses", async () => {
    const { fake, provider } = setup({ maxHosts: 1 }, { preset: "desec" });
    await provider.setRecords([a("a.example.net", "203.0.113.5"), a("b.example.net", "203.0.113.5"), a("c.example.net", "203.0.113.6")], liveOptions());
    expect(fake.requests.map((r) => r.query.hostname)).toEqual(["a.example.net", "b.example.net", "c.example.net"]);
  });
});

describe("dyndns2 without sending", () => {
  it("dry run: plans every write and sends nothing", async () => {
    const { fake, provider } = setup({});
    const results = await provider.setRecords([a("a.example.net", "203.0.113.5"), aaaa("b.example.net", "2001:db8::5")], dryRunOptions());
    expect(results.map(summary)).toEqual([{ ok: true, outcome: "planned" }, { ok: true, outcome: "planned" }]);
    expect(fake.writes()).toBe(0);
  });

  it("an address already confirmed in this process is not sent again (no abusive nochg)", async () => {
    const { fake, provider } = setup({});
    await provider.setRecords([a("a.example.net", "203.0.113.5")], liveOptions());
    const again = only(await provider.setRecords([a("a.example.net", "203.0.113.5")], liveOptions()));
    expect(again).toEqual({ ok: true, request: a("a.example.net", "203.0.113.5"), outcome: "unchanged", previous: ["203.0.113.5"] });
    expect(fake.writes()).toBe(1);
  });

  it.each([
    { name: "a wildcard name", request: a("*.example.net", "203.0.113.5"), message: "DynDNS2 service cannot update wildcard names: DynDNS2 updates named hosts only; remove it from DDNS_RECORDS" },
    { name: "content of the wrong family", request: aaaa("a.example.net", "203.0.113.5"), message: '"203.0.113.5" is not an IPv6 address' },
  ])("$name: config failure, nothing sent", async ({ request, message }) => {
    const { fake, provider } = setup({});
    expect(summary(only(await provider.setRecords([request], liveOptions())))).toEqual({ ok: false, kind: "config", message });
    expect(fake.writes()).toBe(0);
  });

  // The descriptor refuses such settings before any provider exists (config names the variable and stops).
  it.each([
    { name: "no base URL and no preset", descriptor: dyndns2, raw: { DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_DYNDNS2_USERNAME: "alice" }, issue: { variable: "DDNS_PROVIDER_API_URL", reason: "or DDNS_DYNDNS2_PRESET is required when DDNS_PROVIDER_TYPE=dyndns2" } },
    { name: "no user name", descriptor: dyndns2, raw: { DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_PROVIDER_API_URL: "http://127.0.0.1:9" }, issue: { variable: "DDNS_DYNDNS2_USERNAME", reason: "is required when DDNS_PROVIDER_TYPE=dyndns2" } },
    { name: "no user name for noip", descriptor: noip, raw: { DDNS_PROVIDER_API_TOKEN: SECRET }, issue: { variable: "DDNS_NOIP_USERNAME", reason: "is required when DDNS_PROVIDER_TYPE=noip (e.g. me@example.com)" } },
  ])("$name: a settings issue naming the variable", ({ descriptor, raw, issue }) => {
    expect(descriptor.parse(raw)).toEqual({ ok: false, issue });
  });
});

describe("dyndns2 network failures", () => {
  it("unreachable: transient, names the endpoint, and no message or log line holds the secret", async () => {
    const nowhere = await unreachableUrl();
    const harness = createHarness();
    const result = only(await harness.provider("dyndns2", variables(nowhere)).setRecords([a("a.example.net", "203.0.113.5")], liveOptions()));
    expect(summary(result)).toEqual({
      ok: false,
      kind: "transient",
      message: `could not connect to DynDNS2 service at "${nowhere}/nic/update?…" (connection refused); check DDNS_PROVIDER_API_URL and the network`,
    });
    if (result.ok) return;
    const text = [result.message, ...harness.log.lines].join("\n");
    for (const form of [SECRET, encodeURIComponent(SECRET), basicAuthorization("alice", SECRET).slice(6)]) expect(text).not.toContain(form);
    expect(harness.observed).toEqual(["error"]);
  });

  it("no answer within the timeout: transient, could not confirm", async () => {
    const { provider, harness } = setup({ delayMs: 500 }, { timeoutMs: 50 });
    const result = only(await provider.setRecords([a("a.example.net", "203.0.113.5")], liveOptions()));
    expect(result).toMatchObject({ ok: false, kind: "transient", unconfirmed: true, message: "DynDNS2 service did not answer within 0.1 s" });
    expect(harness.observed).toEqual(["timeout"]);
  });

  it("the caller's signal aborts the request in flight", async () => {
    const { provider } = setup({ delayMs: 500 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = Date.now();
    const result = only(await provider.setRecords([a("a.example.net", "203.0.113.5")], { signal: controller.signal, dryRun: false }));
    expect(Date.now() - started).toBeLessThan(400);
    expect(result).toMatchObject({ ok: false, kind: "transient", unconfirmed: true, message: "the request to DynDNS2 service was cancelled before it finished (shutdown or the round's deadline)" });
  });
});
