import { afterAll, afterEach, beforeAll, describe, expect, it } from "bun:test";
import { custom } from "../../src/providers/custom/descriptor.ts";
import { assertNoSecretLeaked, spawnDaemon } from "../blackbox/harness.ts";
import { unreachableUrl } from "../fakes/dyndns2/fake-dyndns2-server.ts";
import { a, aaaa, createHarness, dryRunOptions, liveOptions, only, summary, uniqueLabel } from "../fakes/dyndns2/provider-harness.ts";
import { startFakeCustom, type FakeCustom, type FakeCustomConfig } from "../fakes/custom/fake-custom-service.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";

/** `custom`: the contract suite and black-box runs against the docs page's two example services, then its rules. */
const TOKEN = "cst_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const KEY = "key_5a4b3c2d1e0f";
const WRONG = "cst_live_00000000000000000000000000000000";
const SECRETS = [TOKEN, KEY, WRONG];

/** The JSON API example of docs/providers/custom.md. */
const jsonApi = (url: string, token = TOKEN): Record<string, string> => ({
  DDNS_CUSTOM_URL: `${url}/v1/zones/{zone}/records/{name}/{type}`,
  DDNS_CUSTOM_METHOD: "PUT",
  DDNS_CUSTOM_HEADERS: '{"Authorization": "Bearer {token}", "X-Api-Key": "{key}"}',
  DDNS_CUSTOM_BODY: '{"content": "{ip}"}',
  DDNS_PROVIDER_API_TOKEN: token,
  DDNS_PROVIDER_API_KEY: KEY,
});
/** The update-URL example: success only when the body says good or nochg. */
const updateUrl = (url: string, token = TOKEN): Record<string, string> => ({
  DDNS_CUSTOM_URL: `${url}/nic/update?hostname={name}&myip={ip}&token={token}`,
  DDNS_CUSTOM_SUCCESS_REGEX: "^(good|nochg) ",
  DDNS_PROVIDER_API_TOKEN: token,
});

const customOf = (variables: Record<string, string>, harness = createHarness()) => harness.provider("custom", variables);

for (const [label, variablesOf] of [["JSON API", jsonApi], ["update URL with a success regex", updateUrl]] as const) {
  providerContract(`custom (${label})`, async () => {
    const fake = startFakeCustom({ token: TOKEN, ...(label === "JSON API" ? { key: KEY } : {}), zones: ["example.com"] });
    return {
      provider: customOf(variablesOf(fake.url)),
      badAuthProvider: customOf(variablesOf(fake.url, WRONG)),
      unreachableProvider: customOf(variablesOf(await unreachableUrl())),
      names: [`${uniqueLabel("one")}.example.com`, `${uniqueLabel("two")}.example.com`],
      secrets: SECRETS,
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      close: () => fake.close(),
    };
  });
}

providerBlackbox({
  id: "custom",
  canRead: custom.capabilities.read,
  async start() {
    const fake = startFakeCustom({ token: TOKEN, key: KEY, zones: ["example.com"] });
    return {
      env: { DDNS_PROVIDER_TYPE: "custom", ...jsonApi(fake.url) },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: SECRETS,
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      stop: () => fake.close(),
    };
  },
});

let fake: FakeCustom | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
const start = (o: Partial<FakeCustomConfig> = {}) => (fake = startFakeCustom({ token: TOKEN, key: KEY, zones: ["example.com"], ...o }));

describe("custom requests", () => {
  it("fills every placeholder: URL-encoded in the URL, as it is in headers and body; JSON Content-Type for a JSON body", async () => {
    const f = start();
    const p = customOf({ ...jsonApi(f.url), DDNS_CUSTOM_URL: `${f.url}/v1/zones/{zone}/records/{name}/{type}?v4={ip4}&v6={ip6}&q={name}` });
    const results = await p.setRecords([a("home.example.com", "203.0.113.5"), aaaa("home.example.com", "2001:db8::5")], liveOptions());
    expect(results.map(summary)).toEqual([{ ok: true, outcome: "updated" }, { ok: true, outcome: "updated" }]);
    expect(f.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, auth: r.headers.authorization, key: r.headers["x-api-key"], type: r.headers["content-type"], body: r.body }))).toEqual([
      { method: "PUT", path: "/v1/zones/example.com/records/home.example.com/A", query: { v4: "203.0.113.5", v6: "", q: "home.example.com" }, auth: `Bearer ${TOKEN}`, key: KEY, type: "application/json", body: '{"content": "203.0.113.5"}' },
      { method: "PUT", path: "/v1/zones/example.com/records/home.example.com/AAAA", query: { v4: "", v6: "2001:db8::5", q: "home.example.com" }, auth: `Bearer ${TOKEN}`, key: KEY, type: "application/json", body: '{"content": "2001:db8::5"}' },
    ]);
  });

  it("{ttl} is the record's TTL in seconds (empty for auto); a form body is sent as a form", async () => {
    const f = start({ rawAnswer: { status: 200, body: "ok" } });
    const p = customOf({ DDNS_CUSTOM_URL: `${f.url}/form`, DDNS_CUSTOM_METHOD: "POST", DDNS_CUSTOM_BODY: "host={name}&ip={ip}&ttl={ttl}" });
    await p.setRecords([{ ...a("home.example.com", "203.0.113.5"), ttl: 300 }, { ...a("nas.example.com", "203.0.113.5"), ttl: "auto" }], liveOptions());
    expect(f.requests.map((r) => ({ type: r.headers["content-type"], body: r.body }))).toEqual([
      { type: "application/x-www-form-urlencoded", body: "host=home.example.com&ip=203.0.113.5&ttl=300" },
      { type: "application/x-www-form-urlencoded", body: "host=nas.example.com&ip=203.0.113.5&ttl=" },
    ]);
  });

  it("DDNS_CUSTOM_ZONE sets {zone}; a name outside it is a config failure, nothing sent", async () => {
    const f = start({ zones: ["lab.example.com"] });
    const p = customOf({ ...jsonApi(f.url), DDNS_CUSTOM_ZONE: "lab.example.com" });
    expect(summary(only(await p.setRecords([a("nas.lab.example.com", "203.0.113.5")], liveOptions())))).toEqual({ ok: true, outcome: "updated" });
    expect(f.requests.map((r) => r.path)).toEqual(["/v1/zones/lab.example.com/records/nas.lab.example.com/A"]);
    expect(summary(only(await p.setRecords([a("home.example.net", "203.0.113.5")], liveOptions())))).toEqual({ ok: false, kind: "config", message: 'the name is not in "lab.example.com" (DDNS_CUSTOM_ZONE): correct DDNS_RECORDS or DDNS_CUSTOM_ZONE' });
    expect(f.requests.length).toBe(1);
  });

  it("dry run: plans the write and sends nothing", async () => {
    const f = start();
    expect(summary(only(await customOf(jsonApi(f.url)).setRecords([a("home.example.com", "203.0.113.5")], dryRunOptions())))).toEqual({ ok: true, outcome: "planned" });
    expect(f.requests.length).toBe(0);
  });
});

describe("custom answers and the success rule", () => {
  it.each<{ name: string; variables: (url: string) => Record<string, string>; fake?: Partial<FakeCustomConfig>; record?: string; expected: ReturnType<typeof summary> }>([
    { name: "a body the regex does not match (a 200 nohost), quoted", variables: updateUrl, record: "home.example.org", expected: { ok: false, kind: "transient", message: 'HOST answered HTTP 200 with "nohost", which does not match DDNS_CUSTOM_SUCCESS_REGEX' } },
    { name: "a 2xx the status rule does not accept", variables: (u) => ({ ...updateUrl(u), DDNS_CUSTOM_SUCCESS_STATUS: "204", DDNS_CUSTOM_SUCCESS_REGEX: "" }), expected: { ok: false, kind: "transient", message: 'HOST answered HTTP 200 with "good 203.0.113.5", a status DDNS_CUSTOM_SUCCESS_STATUS does not accept' } },
    { name: "a 404 as success when the rule says so", variables: (u) => ({ ...updateUrl(u), DDNS_CUSTOM_URL: `${u}/nowhere?t={token}`, DDNS_CUSTOM_SUCCESS_STATUS: "2xx,404", DDNS_CUSTOM_SUCCESS_REGEX: "" }), expected: { ok: true, outcome: "updated" } },
    { name: "a refused token: auth, the service's answer quoted, both secret variables named", variables: (u) => jsonApi(u, WRONG), expected: { ok: false, kind: "auth", message: 'HOST refused the credentials (HTTP 401: "{\\"error\\":\\"invalid token\\"}"); check DDNS_PROVIDER_API_TOKEN and DDNS_PROVIDER_API_KEY' } },
    { name: "an unknown zone: refused, quoted", variables: jsonApi, record: "home.example.org", expected: { ok: false, kind: "config", message: 'HOST refused the request (HTTP 404: "{\\"error\\":\\"no such zone\\"}"); check the records and DDNS_CUSTOM_URL' } },
    { name: "a service that echoes the credential: redacted", variables: (u) => jsonApi(u, WRONG), fake: { echoCredentials: true }, expected: { ok: false, kind: "auth", message: 'HOST refused the credentials (HTTP 401: "{\\"error\\":\\"invalid token\\"} (you sent Bearer [REDACTED])"); check DDNS_PROVIDER_API_TOKEN and DDNS_PROVIDER_API_KEY' } },
    { name: "a long answer, shortened", variables: updateUrl, fake: { rawAnswer: { status: 200, body: `busy ${"x".repeat(300)}` } }, expected: { ok: false, kind: "transient", message: `HOST answered HTTP 200 with "busy ${"x".repeat(115)}…", which does not match DDNS_CUSTOM_SUCCESS_REGEX` } },
    { name: "HTTP 429", variables: updateUrl, fake: { rawAnswer: { status: 429, body: "", headers: { "retry-after": "30" } } }, expected: { ok: false, kind: "rate-limited", message: "HOST asked ddnsd to slow down (HTTP 429)" } },
    { name: "HTTP 503", variables: jsonApi, fake: { rawAnswer: { status: 503, body: "down for maintenance" } }, expected: { ok: false, kind: "transient", message: 'HOST failed (HTTP 503: "down for maintenance")' } },
  ])("$name", async ({ variables, fake: options, record, expected }) => {
    const f = start(options);
    const harness = createHarness();
    const result = only(await customOf(variables(f.url), harness).setRecords([a(record ?? "home.example.com", "203.0.113.5")], liveOptions()));
    // The service is named by the URL's host (and port): the fake's port is known only now.
    const host = new URL(f.url).host;
    expect(summary(result)).toEqual(expected.message ? { ...expected, message: expected.message.replace("HOST", host) } : expected);
    const shown = [JSON.stringify(result), ...harness.log.lines].join("\n");
    for (const secret of SECRETS) expect(shown).not.toContain(secret);
  });

  it("unreachable: transient, the URL shown without its query", async () => {
    const nowhere = await unreachableUrl();
    const result = only(await customOf(updateUrl(nowhere)).setRecords([a("home.example.com", "203.0.113.5")], liveOptions()));
    expect(summary(result)).toEqual({ ok: false, kind: "transient", message: `could not connect to ${new URL(nowhere).host} at "${nowhere}/nic/update?…" (connection refused); check DDNS_CUSTOM_URL and the network` });
  });
});

describe("custom failures show the URL as configured", () => {
  it("unreachable JSON API: the template's path, with no record name and no token", async () => {
    const nowhere = await unreachableUrl();
    const variables = { ...jsonApi(nowhere), DDNS_CUSTOM_URL: `${nowhere}/v1/{token}/zones/{zone}/records/{name}/{type}` };
    const result = only(await customOf(variables).setRecords([a("home.example.com", "203.0.113.5")], liveOptions()));
    expect(summary(result)).toEqual({ ok: false, kind: "transient", message: `could not connect to ${new URL(nowhere).host} at "${nowhere}/v1/{token}/zones/{zone}/records/{name}/{type}" (connection refused); check DDNS_CUSTOM_URL and the network` });
  });
});

describe("custom settings at check", () => {
  const base = { DDNS_CUSTOM_URL: "https://api.example.net/update?host={name}&ip={ip}" };
  it.each([
    { name: "an unknown placeholder", variables: { DDNS_CUSTOM_URL: "https://api.example.net/update?host={host}&ip={ip}" }, issue: "DDNS_CUSTOM_URL uses the unknown placeholder {host}; the known ones are {name}, {zone}, {ip}, {ip4}, {ip6}, {type}, {ttl}, {token}, {key}" },
    { name: "an unclosed placeholder", variables: { DDNS_CUSTOM_URL: "https://api.example.net/update?host={name&ip={ip}" }, issue: 'DDNS_CUSTOM_URL is malformed: "{name" at character 37 has no closing "}"' },
    { name: "a placeholder in the host", variables: { DDNS_CUSTOM_URL: "https://{zone}/update?ip={ip}" }, issue: 'DDNS_CUSTOM_URL must start with http:// or https:// and a host without placeholders (e.g. "https://api.example.net/update?host={name}&ip={ip}")' },
    { name: "no scheme", variables: { DDNS_CUSTOM_URL: "api.example.net/update?ip={ip}" }, issue: 'DDNS_CUSTOM_URL must start with http:// or https:// and a host without placeholders (e.g. "https://api.example.net/update?host={name}&ip={ip}")' },
    { name: "a bad port", variables: { DDNS_CUSTOM_URL: "https://api.example.net:99999/update" }, issue: 'DDNS_CUSTOM_URL is not a valid URL once its placeholders are filled in (got "https://api.example.net:99999/update")' },
    { name: "headers that are not a JSON object", variables: { ...base, DDNS_CUSTOM_HEADERS: "Authorization: Bearer {token}", DDNS_PROVIDER_API_TOKEN: TOKEN }, issue: 'DDNS_CUSTOM_HEADERS must be a JSON object of header names and values, e.g. {"Authorization": "Bearer {token}"}' },
    { name: "a header name with a space", variables: { ...base, DDNS_CUSTOM_HEADERS: '{"X Key": "1"}' }, issue: 'DDNS_CUSTOM_HEADERS has "X Key", which is not a header name' },
    { name: "an unknown placeholder in a header", variables: { ...base, DDNS_CUSTOM_HEADERS: '{"Authorization": "Bearer {secret}"}' }, issue: "DDNS_CUSTOM_HEADERS uses the unknown placeholder {secret}; the known ones are {name}, {zone}, {ip}, {ip4}, {ip6}, {type}, {ttl}, {token}, {key}" },
    { name: "an unknown placeholder in the body", variables: { ...base, DDNS_CUSTOM_METHOD: "POST", DDNS_CUSTOM_BODY: '{"addr": "{address}"}' }, issue: "DDNS_CUSTOM_BODY uses the unknown placeholder {address}; the known ones are {name}, {zone}, {ip}, {ip4}, {ip6}, {type}, {ttl}, {token}, {key}" },
    { name: "a body with GET", variables: { ...base, DDNS_CUSTOM_BODY: '{"ip": "{ip}"}' }, issue: "DDNS_CUSTOM_BODY is set but DDNS_CUSTOM_METHOD is GET, which sends no body: set DDNS_CUSTOM_METHOD=POST (or PUT, PATCH)" },
    { name: "an unknown method", variables: { ...base, DDNS_CUSTOM_METHOD: "FETCH" }, issue: 'DDNS_CUSTOM_METHOD must be one of get, post, put, patch, delete (got "FETCH")' },
    { name: "a bad status rule", variables: { ...base, DDNS_CUSTOM_SUCCESS_STATUS: "200,3xx" }, issue: 'DDNS_CUSTOM_SUCCESS_STATUS must be HTTP statuses or classes, comma-separated, e.g. "2xx" or "200,204" (got "200,3xx"; redirects are never success)' },
    { name: "a bad regex", variables: { ...base, DDNS_CUSTOM_SUCCESS_REGEX: "^(good|nochg" }, issue: "DDNS_CUSTOM_SUCCESS_REGEX is not a valid regular expression (Invalid regular expression: missing ))" },
    { name: "{token} without a token", variables: { DDNS_CUSTOM_URL: "https://api.example.net/update?ip={ip}&t={token}" }, issue: "DDNS_PROVIDER_API_TOKEN is required: a template uses {token}" },
    { name: "a token no template uses", variables: { ...base, DDNS_PROVIDER_API_TOKEN: TOKEN }, issue: "DDNS_PROVIDER_API_TOKEN is set but no template uses {token}: put {token} where the service expects it (DDNS_CUSTOM_URL, DDNS_CUSTOM_HEADERS or DDNS_CUSTOM_BODY)" },
    { name: "{key} without a key", variables: { ...base, DDNS_CUSTOM_HEADERS: '{"X-Key": "{key}"}' }, issue: "DDNS_PROVIDER_API_KEY is required: a template uses {key}" },
  ])("$name: the configuration error names the variable", ({ variables, issue }) => {
    const parsed = custom.parse(variables);
    expect(parsed.ok ? "valid" : `${parsed.issue.variable} ${parsed.issue.reason}`).toBe(issue);
  });

  it("accepts a multi-line body and literal braces around placeholders", () => {
    expect(custom.parse({ ...base, DDNS_CUSTOM_METHOD: "post", DDNS_CUSTOM_BODY: '{\n  "records": [{"name": "{name}", "ip": "{ip}"}]\n}' }).ok).toBe(true);
  });
});

describe("custom at ddnsd check, black-box", () => {
  let f: FakeCustom;
  beforeAll(() => {
    f = startFakeCustom({ token: TOKEN, key: KEY, zones: ["example.com"] });
  });
  afterAll(async () => {
    await f.close();
    assertNoSecretLeaked();
  });
  const check = async (extra: Record<string, string>) => {
    const daemon = spawnDaemon(["check"], { DDNS_PROVIDER_TYPE: "custom", DDNS_RECORDS: "home.example.com", DDNS_HTTP_ADDR: "off", ...jsonApi(f.url), ...extra }, SECRETS);
    return { code: await daemon.exited(15_000), out: daemon.lines.join("\n") };
  };

  it("a malformed template: exit 1 and one line naming the variable", async () => {
    const r = await check({ DDNS_CUSTOM_BODY: '{"content": "{ipv4}"}' });
    expect(r.code).toBe(1);
    expect(r.out).toContain("Configuration error: DDNS_CUSTOM_BODY uses the unknown placeholder {ipv4}; the known ones are {name}, {zone}, {ip}, {ip4}, {ip6}, {type}, {ttl}, {token}, {key}");
  });

  it("a valid setup: exit 0, the headers by name only, no secret", async () => {
    const r = await check({});
    expect(r.code).toBe(0);
    expect(r.out).toContain("Authorization, X-Api-Key (values not shown)");
    expect(r.out).toContain(`${f.url}/v1/zones/{zone}/records/{name}/{type}`);
  });
});
