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
    [`DDNS_${id.toUpperCase()}_USERNAME`]: "alice",
    DDNS_RECORDS: "home.example.net",
    DDNS_IP_SOURCE_URLS_V4: `${ip.url}/v4`,
    DDNS_IP_SOURCE_URLS_V6: `${ip.url}/v6`,
    DDNS_HTTP_ADDR: "off",
    ...extra,
  };
}

describe("DynDNS2 services by their own id, black-box", () => {
  it.each<{ id: string; fake: StartOptions; extra?: Record<string, string>; queries: Array<Record<string, string>>; held: { A: string[]; AAAA: string[] } }>([
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
  ])("$id: ddnsd once sends the service's request and exits 0", async ({ id, fake: options, extra, queries, held }) => {
    fake = startFakeDynDns2({ ...options, users: { alice: PASSWORD }, hosts: ["home.example.net"] });
    const r = await runBinary(["once"], env(id, extra));
    expect(r.code).toBe(0);
    expect(fake.requests.map((q) => ({ path: q.path, user: q.user, query: q.query }))).toEqual(queries.map((query) => ({ path: "/nic/update", user: "alice", query })));
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
