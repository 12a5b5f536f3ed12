import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { startFakeDynDns2, type FakeDynDns2, type StartOptions } from "../fakes/dyndns2/fake-dyndns2-server.ts";
import { startIpEcho, type IpEchoServer } from "../fakes/ip-echo.ts";
import { assertNoSecretLeaked, runBinary } from "./harness.ts";

/**
 * The DynDNS2 services that are provider ids of their own (`noip` ≡ `dyndns2` + `DDNS_DYNDNS2_PRESET=noip`), run
 * as dist/ddnsd against the DynDNS2 fake set up with each service's documented quirks: `ddnsd once` updates the
 * records with the request the service takes, a second run sends nothing new (a fresh process sends once again:
 * the confirmed address lives in memory), and a fatal code stops the record without promising a next attempt.
 */
setDefaultTimeout(60_000);
const PASSWORD = `bb-dyndns2-${process.pid}-s3cret`;
let ip: IpEchoServer;
let fake: FakeDynDns2 | undefined;
beforeAll(() => {
  ip = startIpEcho({ v4: "203.0.113.7", v6: "2001:db8::7" });
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
afterAll(async () => {
  await ip.stop();
  assertNoSecretLeaked();
});

function env(id: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DDNS_PROVIDER_TYPE: id,
    DDNS_PROVIDER_API_TOKEN: PASSWORD,
    DDNS_PROVIDER_API_URL: fake!.url,
    ...(id === "he" ? {} : { [`DDNS_${id.toUpperCase()}_USERNAME`]: "alice" }),
    DDNS_RECORDS: "home.example.net",
    DDNS_IP_SOURCE_URLS_V4: `${ip.url}/v4`,
    DDNS_IP_SOURCE_URLS_V6: `${ip.url}/v6`,
    DDNS_HTTP_ADDR: "off",
    ...extra,
  };
}

describe("DynDNS2 services by their own id, black-box", () => {
  it.each<{ id: string; fake: StartOptions; path?: string; user?: string; extra?: Record<string, string>; queries: Array<Record<string, string>>; held: { A: string[]; AAAA: string[] } }>([
    {
      id: "noip",
      fake: { ipv6Param: "myipv6" },
      queries: [{ hostname: "home.example.net", myip: "203.0.113.7", myipv6: "2001:db8::7" }],
      held: { A: ["203.0.113.7"], AAAA: ["2001:db8::7"] },
    },
    {
      id: "dynu",
      fake: { ipv6Param: "myipv6", keepValue: "no", maxHosts: 1 },
      queries: [{ hostname: "home.example.net", myip: "203.0.113.7", myipv6: "2001:db8::7" }],
      held: { A: ["203.0.113.7"], AAAA: ["2001:db8::7"] },
    },
    {
      id: "dynv6",
      fake: { ipv6Param: null, maxHosts: 1 },
      extra: { DDNS_IP_VERSIONS: "4" },
      queries: [{ hostname: "home.example.net", myip: "203.0.113.7" }],
      held: { A: ["203.0.113.7"], AAAA: [] },
    },
    {
      id: "dyn",
      fake: { ipv6Param: "myip", path: "/v3/update" },
      path: "/v3/update",
      queries: [{ hostname: "home.example.net", myip: "203.0.113.7" }, { hostname: "home.example.net", myip: "2001:db8::7" }],
      held: { A: ["203.0.113.7"], AAAA: ["2001:db8::7"] },
    },
    {
      id: "he",
      fake: { ipv6Param: "myip", maxHosts: 1, hostUser: true },
      user: "home.example.net",
      queries: [{ hostname: "home.example.net", myip: "203.0.113.7" }, { hostname: "home.example.net", myip: "2001:db8::7" }],
      held: { A: ["203.0.113.7"], AAAA: ["2001:db8::7"] },
    },
    {
      id: "strato",
      fake: { ipv6Param: "myip", maxHosts: 1 },
      queries: [{ hostname: "home.example.net", myip: "203.0.113.7" }, { hostname: "home.example.net", myip: "2001:db8::7" }],
      held: { A: ["203.0.113.7"], AAAA: ["2001:db8::7"] },
    },
    {
      id: "selfhost",
      fake: { ipv6Param: null, maxHosts: 1, answerAs: { good: { status: 200, body: "good" } } },
      extra: { DDNS_IP_VERSIONS: "4" },
      queries: [{ hostname: "home.example.net", myip: "203.0.113.7" }],
      held: { A: ["203.0.113.7"], AAAA: [] },
    },
    {
      id: "spdyn",
      fake: { ipv6Param: "myip", maxHosts: 1 },
      queries: [{ hostname: "home.example.net", myip: "203.0.113.7" }, { hostname: "home.example.net", myip: "2001:db8::7" }],
      held: { A: ["203.0.113.7"], AAAA: ["2001:db8::7"] },
    },
    {
      id: "changeip",
      fake: { ipv6Param: null, maxHosts: 1, ipParam: "ip", answerAs: { good: { status: 200, body: "200 Successful Update" } } },
      extra: { DDNS_IP_VERSIONS: "4" },
      queries: [{ hostname: "home.example.net", ip: "203.0.113.7" }],
      held: { A: ["203.0.113.7"], AAAA: [] },
    },
    {
      id: "nowdns",
      fake: { ipv6Param: "myip", maxHosts: 1, path: "/update" },
      path: "/update",
      queries: [{ hostname: "home.example.net", myip: "203.0.113.7" }, { hostname: "home.example.net", myip: "2001:db8::7" }],
      held: { A: ["203.0.113.7"], AAAA: ["2001:db8::7"] },
    },
    {
      id: "dnsomatic",
      fake: { ipv6Param: null, maxHosts: 1, requiredQuery: { wildcard: "NOCHG", mx: "NOCHG", backmx: "NOCHG" } },
      extra: { DDNS_IP_VERSIONS: "4" },
      queries: [{ hostname: "home.example.net", myip: "203.0.113.7", wildcard: "NOCHG", mx: "NOCHG", backmx: "NOCHG" }],
      held: { A: ["203.0.113.7"], AAAA: [] },
    },
    {
      id: "variomedia",
      fake: { ipv6Param: null, maxHosts: 1 },
      extra: { DDNS_IP_VERSIONS: "4" },
      queries: [{ hostname: "home.example.net", myip: "203.0.113.7" }],
      held: { A: ["203.0.113.7"], AAAA: [] },
    },
    {
      id: "gigahost",
      fake: { ipv6Param: "myipv6", maxHosts: 1, path: "/api/v0/dns/dyndns" },
      path: "/api/v0/dns/dyndns",
      queries: [{ hostname: "home.example.net", myip: "203.0.113.7", myipv6: "2001:db8::7" }],
      held: { A: ["203.0.113.7"], AAAA: ["2001:db8::7"] },
    },
    {
      id: "inwx",
      fake: { ipv6Param: null, maxHosts: 1 },
      extra: { DDNS_IP_VERSIONS: "4" },
      queries: [{ hostname: "home.example.net", myip: "203.0.113.7" }],
      held: { A: ["203.0.113.7"], AAAA: [] },
    },
    {
      id: "ipv64",
      fake: { ipv6Param: "myipv6", maxHosts: 1 },
      queries: [{ hostname: "home.example.net", myip: "203.0.113.7", myipv6: "2001:db8::7" }],
      held: { A: ["203.0.113.7"], AAAA: ["2001:db8::7"] },
    },
  ])("$id: ddnsd once sends the service's request and exits 0", async ({ id, fake: options, path = "/nic/update", user = "alice", extra, queries, held }) => {
    fake = startFakeDynDns2({ ...options, users: { [user]: PASSWORD }, hosts: ["home.example.net"] });
    const r = await runBinary(["once"], env(id, extra));
    expect(r.code).toBe(0);
    // Requests may come in either order when the families travel apart.
    const sent = fake.requests.map((q) => ({ path: q.path, user: q.user, query: q.query }));
    expect(sent).toHaveLength(queries.length);
    expect(sent).toEqual(expect.arrayContaining(queries.map((query) => ({ path, user, query }))));
    expect({ A: fake.read("home.example.net", "A"), AAAA: fake.read("home.example.net", "AAAA") }).toEqual(held);
  });

  it("noip: the user name may come from DDNS_DYNDNS2_USERNAME, as for the preset", async () => {
    fake = startFakeDynDns2({ users: { alice: PASSWORD }, hosts: ["home.example.net"] });
    const { DDNS_NOIP_USERNAME: _, ...rest } = env("noip", { DDNS_IP_VERSIONS: "4" });
    const r = await runBinary(["once"], { ...rest, DDNS_DYNDNS2_USERNAME: "alice" });
    expect(r.code).toBe(0);
    expect(fake.requests.map((q) => q.user)).toEqual(["alice"]);
  });

  it("dynu without a user name: the configuration error names its variable", async () => {
    fake = startFakeDynDns2({ users: { alice: PASSWORD }, hosts: ["home.example.net"] });
    const { DDNS_DYNU_USERNAME: _, ...rest } = env("dynu");
    const r = await runBinary(["check"], rest);
    expect(r.code).toBe(1);
    expect(r.lines.join("\n")).toContain("DDNS_DYNU_USERNAME is required when DDNS_PROVIDER_TYPE=dynu (e.g. myuser).");
    expect(fake.requests).toEqual([]);
  });

  it("noip answering nohost: one error line naming the record, no next attempt promised", async () => {
    fake = startFakeDynDns2({ users: { alice: PASSWORD }, hosts: [] });
    const r = await runBinary(["once"], env("noip", { DDNS_IP_VERSIONS: "4" }));
    expect(r.code).toBe(2);
    const errors = r.lines.filter((l) => l.startsWith("ERROR"));
    expect(errors).toHaveLength(1);
    // The advice names noip's own variable; `final`: the line promises no next attempt.
    expect(errors).toEqual([
      'ERROR Could not update A record home.example.net to 203.0.113.7: No-IP answered "nohost": the hostname does not exist in this account. Create it at the service, or correct DDNS_RECORDS or DDNS_NOIP_USERNAME. ddnsd stops updating this record until it restarts with a corrected configuration kind=config attempt=1',
    ]);
  });
});

describe("DynDNS2 services' own answers, black-box", () => {
  const PENDING = { status: 200, body: "Hostname pending" };
  it.each<{ name: string; id: string; fake: StartOptions; user?: string; code: number; requests?: number; error?: string; warn?: string }>([
    {
      name: "selfhost answering HTTP 204 (IP not changed) is a no-change success",
      id: "selfhost",
      fake: { ipv6Param: null, maxHosts: 1, answerAs: { good: { status: 204, body: "" } } },
      code: 0,
      warn: 'selfHOST answered "HTTP 204" for "home.example.net": it already held the address.',
    },
    {
      name: "selfhost answering HTTP 409 (no zones found) stops the record",
      id: "selfhost",
      fake: { ipv6Param: null, maxHosts: 1, hosts: [], answerAs: { nohost: { status: 409, body: "" } } },
      code: 2,
      error: 'selfHOST answered "HTTP 409": the hostname does not exist in this account. Create it at the service, or correct DDNS_RECORDS or DDNS_SELFHOST_USERNAME.',
    },
    {
      name: "selfhost answering HTTP 410 (account inactive) stops all updates",
      id: "selfhost",
      fake: { ipv6Param: null, maxHosts: 1, answerAs: { good: { status: 410, body: "" } } },
      code: 2,
      error: 'selfHOST answered "HTTP 410": the update asked for a feature this account does not have. Check the account\'s plan with the service. ddnsd stops all updates',
    },
    {
      name: "nowdns refusing with HTTP 400 nohost stops the record",
      id: "nowdns",
      fake: { ipv6Param: "myip", maxHosts: 1, path: "/update", hosts: [], answerAs: { nohost: { status: 400, body: "nohost" } } },
      code: 2,
      error: 'Now-DNS answered "nohost": the hostname does not exist in this account.',
    },
    {
      name: "spdyn answering fatal (host disabled by hand) stops the record",
      id: "spdyn",
      fake: { ipv6Param: "myip", maxHosts: 1, hostCodes: { "home.example.net": "fatal" } },
      code: 2,
      error: 'spDYN answered "fatal": the hostname has been disabled at the service. Enable it again in the service\'s control panel.',
    },
    {
      name: "he with the key of another record is refused as the record's own credentials",
      id: "he",
      fake: { ipv6Param: "myip", maxHosts: 1, hostUser: true },
      user: "other.example.net",
      code: 2,
      error: 'Hurricane Electric answered "badauth": the user name and password were refused. Check the name in DDNS_RECORDS and DDNS_PROVIDER_API_TOKEN.',
    },
    {
      name: "changeip answering something else than a successful update could not confirm",
      id: "changeip",
      fake: { ipv6Param: null, maxHosts: 1, ipParam: "ip", answerAs: { good: PENDING, nochg: PENDING } },
      code: 2,
      requests: 3,
      warn: 'WARN Could not confirm the update of A record home.example.net to 203.0.113.7: ChangeIP answered HTTP 200 with "Hostname pending"',
    },
  ])("$name", async ({ id, fake: options, user = id === "he" ? "home.example.net" : "alice", code, requests = 1, error, warn }) => {
    fake = startFakeDynDns2({ hosts: ["home.example.net"], ...options, users: { [user]: PASSWORD } });
    const r = await runBinary(["once"], env(id, { DDNS_IP_VERSIONS: "4" }));
    const text = r.lines.join("\n");
    expect({ code: r.code, requests: fake.requests.length }).toEqual({ code, requests });
    if (error) expect(r.lines.filter((l) => l.startsWith("ERROR") && l.includes(error))).toHaveLength(1);
    if (warn) expect(text).toContain(warn);
  });
});
