import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { startIpEcho, type IpEchoServer } from "../fakes/ip-echo.ts";
import { startFakeTokenUrl, type FakeTokenUrl } from "../fakes/token-url/fake-token-url-server.ts";
import { dd24Service, ddnssService, goipService, myaddrService, zoneEditService, type TokenService } from "../fakes/token-url/token-services.ts";
import { assertNoSecretLeaked, runBinary } from "./harness.ts";

/**
 * The token-URL services (ddnss, GoIP, DD24, ZoneEdit, myaddr) run as dist/ddnsd against fakes written from their
 * sources: `ddnsd once` sends each service's own request and exits 0; a refusal is one ERROR line that names what
 * to fix and promises no next attempt; an answer that is no confirmation is "could not confirm", never success.
 */
setDefaultTimeout(60_000);
const SECRET = `bb-token-${process.pid}-s3cret`;
const HOST = "home.example.net";
let ip: IpEchoServer;
let fake: FakeTokenUrl | undefined;
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
    DDNS_PROVIDER_API_TOKEN: SECRET,
    DDNS_PROVIDER_API_URL: fake!.url,
    DDNS_RECORDS: HOST,
    DDNS_IP_SOURCE_URLS_V4: `${ip.url}/v4`,
    DDNS_IP_SOURCE_URLS_V6: `${ip.url}/v6`,
    DDNS_HTTP_ADDR: "off",
    ...extra,
  };
}

describe("token-URL services, black-box", () => {
  it.each<{ id: string; service: TokenService; extra?: Record<string, string>; sent: Array<Record<string, string>>; user?: string; held: { A: string[]; AAAA: string[] } }>([
    {
      id: "ddnss",
      service: ddnssService(SECRET, [HOST]),
      sent: [{ key: SECRET, host: HOST, ip: "203.0.113.7" }, { key: SECRET, host: HOST, ip6: "2001:db8::7" }],
      held: { A: ["203.0.113.7"], AAAA: ["2001:db8::7"] },
    },
    {
      id: "goip",
      service: goipService("alice", SECRET, [HOST]),
      extra: { DDNS_GOIP_USERNAME: "alice" },
      sent: [
        { subdomain: HOST, username: "alice", password: SECRET, shortResponse: "true", ip: "203.0.113.7" },
        { subdomain: HOST, username: "alice", password: SECRET, shortResponse: "true", ip6: "2001:db8::7" },
      ],
      held: { A: ["203.0.113.7"], AAAA: ["2001:db8::7"] },
    },
    {
      id: "dd24",
      service: dd24Service({ [HOST]: SECRET }),
      extra: { DDNS_IP_VERSIONS: "4" },
      sent: [{ hostname: HOST, password: SECRET, ip: "203.0.113.7" }],
      held: { A: ["203.0.113.7"], AAAA: [] },
    },
    {
      id: "zoneedit",
      service: zoneEditService("alice", SECRET, [HOST]),
      extra: { DDNS_ZONEEDIT_USERNAME: "alice", DDNS_IP_VERSIONS: "4" },
      user: "alice",
      sent: [{ host: HOST, dnsto: "203.0.113.7" }],
      held: { A: ["203.0.113.7"], AAAA: [] },
    },
    {
      id: "myaddr",
      service: myaddrService(SECRET, HOST),
      sent: [{ key: SECRET, ip: "203.0.113.7" }, { key: SECRET, ip: "2001:db8::7" }],
      held: { A: ["203.0.113.7"], AAAA: ["2001:db8::7"] },
    },
  ])("$id: ddnsd once sends the service's request and exits 0", async ({ id, service, extra, sent, user, held }) => {
    fake = startFakeTokenUrl(service);
    const r = await runBinary(["once"], env(id, extra));
    expect(r.code).toBe(0);
    const requests = fake.requests.map((q) => ({ method: q.method, path: q.path, params: q.params, ...(q.user ? { user: q.user } : {}) }));
    expect(requests).toHaveLength(sent.length);
    expect(requests).toEqual(expect.arrayContaining(sent.map((params) => ({ method: service.method, path: service.path, params, ...(user ? { user } : {}) }))));
    expect({ A: fake.read(HOST, "A"), AAAA: fake.read(HOST, "AAAA") }).toEqual(held);
  });

  const ALL = "ddnsd stops all updates until it restarts with a corrected configuration";
  const RECORD = "ddnsd stops updating this record until it restarts with a corrected configuration";
  it.each<{ name: string; id: string; service: TokenService; extra?: Record<string, string>; error: string; stops: string }>([
    {
      name: "ddnss refusing the key stops all updates",
      id: "ddnss",
      service: ddnssService("another-key", [HOST]),
      error: 'ERROR Could not update A record home.example.net to 203.0.113.7: ddnss answered "badauth": the update key was refused. Check DDNS_PROVIDER_API_TOKEN.',
      stops: ALL,
    },
    {
      name: "goip refusing the login stops all updates",
      id: "goip",
      service: goipService("alice", "another-password", [HOST]),
      extra: { DDNS_GOIP_USERNAME: "alice" },
      error: 'GoIP answered "Zugriff verweigert": the user name and password were refused. Check DDNS_GOIP_USERNAME and DDNS_PROVIDER_API_TOKEN.',
      stops: ALL,
    },
    {
      name: "dd24 refusing the host's password stops the record",
      id: "dd24",
      service: dd24Service({ [HOST]: "another-password" }),
      error: 'DD24 answered "code = 531, Authorization failed": the host\'s DynamicDNS password was refused.',
      stops: RECORD,
    },
    {
      name: "zoneedit refusing an unknown host stops the record",
      id: "zoneedit",
      service: zoneEditService("alice", SECRET, []),
      extra: { DDNS_ZONEEDIT_USERNAME: "alice" },
      error: 'ZoneEdit answered "ERROR 709 Invalid hostname: home.example.net": the host name is not valid there. Check the name in DDNS_RECORDS.',
      stops: RECORD,
    },
    {
      name: "myaddr answering 404 (unknown key) stops all updates",
      id: "myaddr",
      service: myaddrService("another-key", HOST),
      error: 'myaddr answered HTTP 404 "key not found": the key is not known. Check DDNS_PROVIDER_API_TOKEN.',
      stops: ALL,
    },
  ])("$name", async ({ id, service, extra, error, stops }) => {
    fake = startFakeTokenUrl(service);
    const r = await runBinary(["once"], env(id, { DDNS_IP_VERSIONS: "4", ...extra }));
    expect({ code: r.code, requests: fake.requests.length }).toEqual({ code: 2, requests: 1 });
    const errors = r.lines.filter((l) => l.startsWith("ERROR"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(error);
    expect(errors[0]).toContain(stops);
  });

  it.each<{ name: string; id: string; service: TokenService; extra?: Record<string, string> }>([
    { name: "ddnss answering an HTML page without a verdict", id: "ddnss", service: ddnssService(SECRET, [HOST]) },
    { name: "goip answering something else than the host and its address", id: "goip", service: goipService("alice", SECRET, [HOST]), extra: { DDNS_GOIP_USERNAME: "alice" } },
    { name: "zoneedit answering without SUCCESS or ERROR", id: "zoneedit", service: zoneEditService("alice", SECRET, [HOST]), extra: { DDNS_ZONEEDIT_USERNAME: "alice" } },
  ])("$name could not confirm, never success", async ({ id, service, extra }) => {
    fake = startFakeTokenUrl(service);
    fake.fault = { status: 200, body: "<html><body>Wartungsarbeiten</body></html>" };
    const r = await runBinary(["once"], env(id, { DDNS_IP_VERSIONS: "4", ...extra }));
    expect(r.code).not.toBe(0);
    expect(r.lines.some((l) => l.startsWith("WARN Could not confirm the update of A record home.example.net to 203.0.113.7"))).toBe(true);
    expect(fake.read(HOST, "A")).toEqual([]);
  });
});
