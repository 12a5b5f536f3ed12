import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { assertNoSecretLeaked, runBinary } from "../blackbox/harness.ts";
import { startFakeCloudflare, type FakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import { curl, ddclient, wget } from "./clients.ts";
import { PASSWORD, pushEnv, startPushDaemon, TOKEN, USER, type PushDaemon } from "./push-daemon.ts";

/**
 * The compiled daemon (`dist/ddnsd`, `bun run build` first) with DDNS_IP_SOURCE_TYPE=push, against the fake
 * Cloudflare API, driven by real DynDNS2 clients over loopback: curl, wget and Debian's ddclient.
 */
let cf: FakeCloudflare;
beforeAll(async () => {
  cf = await startFakeCloudflare({ token: TOKEN, zones: ["example.com"] });
});
afterAll(async () => {
  await cf.stop();
  assertNoSecretLeaked();
});

const env = (port: number, extra: Record<string, string> = {}) => pushEnv(cf.url, port, extra);
const start = (extra: Record<string, string> = {}) => startPushDaemon(cf.url, extra);

describe("ddnsd check and configuration errors", () => {
  it("prints the endpoint's settings with the password redacted", async () => {
    const { code, lines } = await runBinary(["check"], env(8080));
    expect(code).toBe(0);
    expect(lines).toContain("DDNS_IP_SOURCE_TYPE=push");
    expect(lines).toContain(`DDNS_UPDATE_PASSWORD=[REDACTED] (${PASSWORD.length} characters)`);
  });

  it("refuses push without a password, naming the variable", async () => {
    const { code, stderr } = await runBinary(["run"], { ...env(8080), DDNS_UPDATE_PASSWORD: undefined });
    expect({ code, stderr }).toEqual({ code: 1, stderr: ["Configuration error: DDNS_UPDATE_PASSWORD is required when DDNS_IP_SOURCE_TYPE=push."] });
  });
});

describe("the daemon's update endpoint", () => {
  let d: PushDaemon;
  beforeAll(async () => {
    d = await start();
  });
  afterAll(async () => {
    d.daemon.kill("SIGTERM");
    expect(await d.daemon.exited()).toBe(0);
  });
  const url = (query: string) => `${d.base}/nic/update?${query}`;
  const auth = { user: USER, password: PASSWORD };

  it("curl: good for both families, every record updated, then nochg with credentials in the URL", async () => {
    expect(await curl(url("hostname=home.example.com&myip=203.0.113.7,2001:db8::7"), auth)).toEqual({ status: 200, body: "good 203.0.113.7,2001:db8::7\n" });
    for (const name of ["home.example.com", "www.example.com"]) {
      expect({ name, a: cf.contents(name, "A"), aaaa: cf.contents(name, "AAAA") }).toEqual({ name, a: ["203.0.113.7"], aaaa: ["2001:db8::7"] });
    }
    expect(await curl(url("hostname=home.example.com&myip=203.0.113.7&myipv6=2001:db8::7"), { ...auth, inUrl: true })).toEqual({ status: 200, body: "nochg 203.0.113.7,2001:db8::7\n" });
    expect((await fetch(`${d.base}/readyz`)).status).toBe(200);
  });

  it.each([
    { name: "no credentials", query: "hostname=home.example.com&myip=203.0.113.8", opts: {}, status: 401, body: "badauth\n" },
    { name: "unknown host", query: "hostname=evil.example.com&myip=203.0.113.8", opts: auth, status: 200, body: "nohost\n" },
    { name: "not a FQDN", query: "hostname=home&myip=203.0.113.8", opts: auth, status: 200, body: "notfqdn\n" },
    { name: "too many hosts", query: `hostname=${Array.from({ length: 21 }, (_, i) => `h${i}.example.com`).join(",")}`, opts: auth, status: 200, body: "numhost\n" },
    { name: "malformed myip", query: "hostname=home.example.com&myip=not-an-ip", opts: auth, status: 400, body: "badrequest\n" },
    { name: "no myip: the socket peer (loopback) is not publishable", query: "hostname=home.example.com", opts: auth, status: 400, body: "badrequest\n" },
    { name: "a forged X-Forwarded-For is ignored", query: "hostname=home.example.com", opts: { ...auth, headers: { "X-Forwarded-For": "203.0.113.66" } }, status: 400, body: "badrequest\n" },
  ])("curl: $name", async ({ query, opts, status, body }) => {
    expect(await curl(url(query), opts)).toEqual({ status, body });
    expect(cf.contents("home.example.com", "A")).toEqual(["203.0.113.7"]);
  });

  it("says whose address it refused: the socket peer", async () => {
    await d.daemon.waitForLine('the caller\'s address "127.0.0.1" is a loopback address, which cannot be published');
  });

  it("wget: logs in after the 401 challenge and changes IPv4 only", async () => {
    const run = await wget(url("hostname=www.example.com&myip=203.0.113.9"), USER, PASSWORD);
    expect({ code: run.code, body: run.body }).toEqual({ code: 0, body: "good 203.0.113.9\n" });
    expect([cf.contents("home.example.com", "A"), cf.contents("home.example.com", "AAAA")]).toEqual([["203.0.113.9"], ["2001:db8::7"]]);
  });

  it("ddclient (dyndns2) updates the record, then gets nochg", async () => {
    const server = new URL(d.base).host;
    const first = await ddclient({ server, login: USER, password: PASSWORD, hosts: ["home.example.com"], ip: "203.0.113.50" });
    expect(first.verdicts, first.output).toEqual(["SUCCESS: updating home.example.com: good: IP address set to 203.0.113.50"]);
    expect(cf.contents("home.example.com", "A")).toEqual(["203.0.113.50"]);
    const again = await ddclient({ server, login: USER, password: PASSWORD, hosts: ["home.example.com", "www.example.com"], ip: "203.0.113.50" });
    expect(again.verdicts, again.output).toEqual([
      "WARNING: updating home.example.com: nochg: No update required; unnecessary attempts to change to the current address are considered abusive",
      "WARNING: updating www.example.com: nochg: No update required; unnecessary attempts to change to the current address are considered abusive",
    ]);
  }, 60_000);

  it("POST is badagent", async () => {
    const res = await fetch(url("hostname=home.example.com&myip=203.0.113.8"), { method: "POST", headers: { Authorization: `Basic ${btoa(`${USER}:${PASSWORD}`)}` } });
    expect({ status: res.status, body: await res.text() }).toEqual({ status: 405, body: "badagent\n" });
  });

  it("locks the client out after 3 failed logins (last: it locks out all of loopback)", async () => {
    for (let i = 0; i < 3; i++) expect(await curl(url("hostname=home.example.com&myip=203.0.113.8"), { user: USER, password: `guess-${i}` })).toEqual({ status: 401, body: "badauth\n" });
    expect(await curl(url("hostname=home.example.com&myip=203.0.113.8"), auth)).toEqual({ status: 200, body: "abuse\n" });
    await d.daemon.waitForLine("WARN Update endpoint: locked out 127.0.0.1 for 10m after 3 failed logins");
  });
});

describe("behind a reverse proxy (DDNS_UPDATE_CLIENT_IP_HEADER)", () => {
  it("takes the caller from the named header: myip-less updates and per-client lockout", async () => {
    const d = await start({ DDNS_UPDATE_CLIENT_IP_HEADER: "X-Forwarded-For", DDNS_IP_VERSIONS: "4" });
    try {
      const url = `${d.base}/nic/update?hostname=www.example.com`;
      const as = (ip: string, password = PASSWORD) => curl(url, { user: USER, password, headers: { "X-Forwarded-For": `198.51.100.250, ${ip}` } });
      expect(await as("203.0.113.77")).toEqual({ status: 200, body: "good 203.0.113.77\n" });
      expect(cf.contents("www.example.com", "A")).toEqual(["203.0.113.77"]);
      for (let i = 0; i < 3; i++) await as("192.0.2.66", "wrong-password");
      expect(await as("192.0.2.66")).toEqual({ status: 200, body: "abuse\n" });
      expect(await as("203.0.113.78")).toEqual({ status: 200, body: "good 203.0.113.78\n" });
    } finally {
      d.daemon.kill("SIGTERM");
      expect(await d.daemon.exited()).toBe(0);
    }
  });
});
