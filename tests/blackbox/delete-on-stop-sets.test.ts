import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { assertNoSecretLeaked, fetchChecked, runBinary, spawnDaemon, type Daemon } from "./harness.ts";
import { freePort, until } from "./world.ts";
import { startIpEcho, type IpEchoServer } from "../fakes/ip-echo.ts";
import { digRecords, testKey } from "../peers/dns-fixtures.ts";
import { startKnot, type DnsPeer } from "../peers/knot-peer.ts";
import { nsupdateEdit, uniqueName } from "../peers/rfc2136-setup.ts";
import { startPowerDns, type PowerDnsPeer } from "../peers/pdns-peer.ts";
import { pdnsApi } from "../peers/powerdns-setup.ts";
import { startFakeDesec, type FakeDesec } from "../fakes/desec/fake-desec.ts";
import { startFakeDuckDns, type FakeDuckDns } from "../fakes/duckdns/fake-duckdns-server.ts";

/**
 * DDNS_DELETE_ON_STOP on the set-replacing template and on write-only services, seen from outside: dist/ddnsd
 * publishes a record, gets SIGTERM, and deletes the set — against the real Knot (RFC 2136, an UPDATE whose
 * prerequisite is the set it read) and PowerDNS, and the deSEC fake (failures and the shutdown budget); DuckDNS
 * clears the name (clear=true); a DynDNS2 service cannot, and says so once at start-up and once at the stop.
 */
setDefaultTimeout(60_000);
const key = testKey("stop-key");
const ADDRESS = "203.0.113.7";
const DELETING = "INFO Deleting the 1 record(s) this daemon manages (DDNS_DELETE_ON_STOP)";
let ip: IpEchoServer;
let knot: DnsPeer;
let pdns: PowerDnsPeer;
let desec: FakeDesec;
const PDNS_ZONE = "stop.example";
const DESEC_TOKEN = "desec-token-for-delete-on-stop";
const running: Daemon[] = [];

beforeAll(async () => {
  ip = startIpEcho({ v4: ADDRESS });
  [knot, pdns, desec] = await Promise.all([startKnot([key]), startPowerDns(), startFakeDesec({ tokens: { [DESEC_TOKEN]: "write" }, zones: ["example.com"] })]);
  await pdns.createZone(PDNS_ZONE);
});
afterEach(() => running.splice(0).forEach((d) => d.kill("SIGKILL")));
afterAll(async () => {
  await Promise.all([ip.stop(), knot?.stop(), pdns?.stop(), desec?.stop()]);
  assertNoSecretLeaked();
});

const base = () => ({ DDNS_IP_VERSIONS: "4", DDNS_IP_SOURCE_URLS_V4: `${ip.url}/v4`, DDNS_HTTP_ADDR: "off", DDNS_DELETE_ON_STOP: "true" });
const knotEnv = (name: string, extra: Record<string, string> = {}) => ({
  ...base(), DDNS_PROVIDER_TYPE: "rfc2136", DDNS_PROVIDER_API_TOKEN: key.secret, DDNS_RFC2136_SERVER: `127.0.0.1:${knot.port}`,
  DDNS_RFC2136_TSIG_KEY_NAME: key.name, DDNS_RFC2136_TSIG_ALGORITHM: key.algorithm, DDNS_RECORDS: name, ...extra,
});
const pdnsEnv = (name: string, extra: Record<string, string> = {}) => ({
  ...base(), DDNS_PROVIDER_TYPE: "powerdns", DDNS_PROVIDER_API_TOKEN: pdns.apiKey, DDNS_PROVIDER_API_URL: pdns.apiUrl, DDNS_RECORDS: name, ...extra,
});
const desecEnv = (name: string, extra: Record<string, string> = {}) => ({
  ...base(), DDNS_PROVIDER_TYPE: "desec", DDNS_PROVIDER_API_TOKEN: DESEC_TOKEN, DDNS_PROVIDER_API_URL: desec.url, DDNS_RECORDS: name, ...extra,
});

/** Starts the daemon, waits until `published` says its record is there, runs `meanwhile`, then SIGTERM. */
async function publishAndStop(env: Record<string, string>, published: () => Promise<boolean> | boolean, meanwhile: () => unknown = () => {}) {
  const d = spawnDaemon(["run"], env);
  running.push(d);
  await d.waitForLine("Ready to monitor IP changes");
  await until(published, (yes) => yes, 15_000, "the record published");
  await d.waitForLine(/(Created|Updated) A record/);
  await meanwhile();
  d.kill("SIGTERM");
  return { code: await d.exited(20_000), lines: d.lines };
}

describe("DDNS_DELETE_ON_STOP with RFC 2136 against Knot", () => {
  it("on SIGTERM deletes the set it published and exits 0", async () => {
    const name = uniqueName("stop");
    const { code, lines } = await publishAndStop(knotEnv(name), async () => (await digRecords(knot.port, name, "A")).includes(ADDRESS));
    expect(code).toBe(0);
    expect(lines).toContain(DELETING);
    expect(lines).toContain(`INFO Deleted A record ${name} (${ADDRESS})`);
    expect(lines).toContain("INFO Shutdown complete");
    expect(await digRecords(knot.port, name, "A")).toEqual([]);
  });

  it("a set someone changed since stays, and the stop says why", async () => {
    const name = uniqueName("changed");
    const { code, lines } = await publishAndStop(knotEnv(name), async () => (await digRecords(knot.port, name, "A")).includes(ADDRESS), () => nsupdateEdit(knot.port, key, name, "A", [ADDRESS, "198.51.100.9"]));
    expect(code).toBe(0);
    expect(lines).toContain(`WARN Not deleting the A record ${name}: the set holds 198.51.100.9, ${ADDRESS}, not only the address this daemon published (${ADDRESS}); someone changed it since; it stays in place`);
    expect((await digRecords(knot.port, name, "A")).sort()).toEqual(["198.51.100.9", ADDRESS]);
  });

  it("in a dry run says what it would delete and deletes nothing", async () => {
    const name = uniqueName("dry");
    await nsupdateEdit(knot.port, key, name, "A", [ADDRESS]);
    const d = spawnDaemon(["run", "--dry-run"], knotEnv(name));
    running.push(d);
    await d.waitForLine(/already points to/);
    d.kill("SIGTERM");
    expect(await d.exited(20_000)).toBe(0);
    expect(d.lines).toContain(`INFO Would delete A record ${name} (${ADDRESS})`);
    expect(await digRecords(knot.port, name, "A")).toEqual([ADDRESS]);
  });

  it("`ddnsd once` deletes nothing", async () => {
    const name = uniqueName("once");
    expect((await runBinary(["once"], knotEnv(name))).code).toBe(0);
    expect(await digRecords(knot.port, name, "A")).toEqual([ADDRESS]);
  });
});

describe("DDNS_DELETE_ON_STOP with PowerDNS", () => {
  const rrset = async (name: string) => {
    const zone = (await (await pdnsApi(pdns, "GET", `/zones/${PDNS_ZONE}.`)).json()) as { rrsets: Array<{ name: string; type: string; records: Array<{ content: string }> }> };
    return zone.rrsets.filter((r) => r.name === `${name}.` && r.type === "A").flatMap((r) => r.records.map((x) => x.content));
  };

  it("on SIGTERM deletes the set whose comment matches DDNS_MANAGED_RECORDS_COMMENT_REGEX", async () => {
    const name = `home.${PDNS_ZONE}`;
    const env = pdnsEnv(name, { DDNS_RECORD_COMMENT: "ddnsd:a", DDNS_MANAGED_RECORDS_COMMENT_REGEX: "^ddnsd:a$" });
    const { code, lines } = await publishAndStop(env, async () => (await rrset(name)).includes(ADDRESS));
    expect(code).toBe(0);
    expect(lines).toContain(`INFO Deleted A record ${name} (${ADDRESS})`);
    expect(await rrset(name)).toEqual([]);
  });

  it("without ownership settings deletes the set holding exactly the address it published; a changed one stays", async () => {
    const gone = `gone.${PDNS_ZONE}`;
    expect((await publishAndStop(pdnsEnv(gone), async () => (await rrset(gone)).includes(ADDRESS))).code).toBe(0);
    expect(await rrset(gone)).toEqual([]);
    const kept = `kept.${PDNS_ZONE}`;
    const edit = () => pdnsApi(pdns, "PATCH", `/zones/${PDNS_ZONE}.`, { rrsets: [{ name: `${kept}.`, type: "A", ttl: 300, changetype: "REPLACE", records: [{ content: "198.51.100.10", disabled: false }] }] });
    const { code, lines } = await publishAndStop(pdnsEnv(kept), async () => (await rrset(kept)).includes(ADDRESS), edit);
    expect(code).toBe(0);
    expect(lines).toContain(`WARN Not deleting the A record ${kept}: the set holds 198.51.100.10, not only the address this daemon published (${ADDRESS}); someone changed it since; it stays in place`);
    expect(await rrset(kept)).toEqual(["198.51.100.10"]);
  });
});

describe("a PowerDNS set that is not ddnsd's, seen in /status and at the stop", () => {
  it("is not managed, says why, and is not deleted on SIGTERM", async () => {
    const name = `hand.${PDNS_ZONE}`;
    const set = { name: `${name}.`, type: "A", ttl: 300, changetype: "REPLACE", records: [{ content: "192.0.2.50", disabled: false }], comments: [{ content: "by hand", account: "" }] };
    expect((await pdnsApi(pdns, "PATCH", `/zones/${PDNS_ZONE}.`, { rrsets: [set] })).status).toBe(204);
    const port = await freePort();
    const d = spawnDaemon(["run"], pdnsEnv(name, { DDNS_RECORD_COMMENT: "ddnsd:a", DDNS_MANAGED_RECORDS_COMMENT_REGEX: "^ddnsd:a$", DDNS_HTTP_ADDR: `127.0.0.1:${port}` }));
    running.push(d);
    await d.waitForLine(/Could not update A record/);
    const status = JSON.parse((await fetchChecked(`http://127.0.0.1:${port}/status`)).body) as { records: unknown[]; targets: unknown[] };
    expect(status.records).toMatchObject([{ name, managed: false, notOwned: ["192.0.2.50"], leftAlone: [{ address: "192.0.2.50", why: `comment "by hand" does not match DDNS_MANAGED_RECORDS_COMMENT_REGEX` }] }]);
    expect(status.targets).toEqual([{ target: "powerdns", managed: 0, notOwned: 1 }]);
    d.kill("SIGTERM");
    expect(await d.exited(20_000)).toBe(0);
    expect(d.lines).toContain(`WARN Not deleting the A record ${name}: the set is not ddnsd's: its comment "by hand" does not match DDNS_MANAGED_RECORDS_COMMENT_REGEX; it stays in place`);
    expect(await digRecords(pdns.dnsPort, name, "A")).toEqual(["192.0.2.50"]);
  });
});

describe("DDNS_DELETE_ON_STOP with deSEC (fake)", () => {
  it("on SIGTERM deletes the set and exits 0", async () => {
    const name = "gone.example.com";
    const { code, lines } = await publishAndStop(desecEnv(name), () => desec.read(name, "A").includes(ADDRESS));
    expect({ code, deleted: lines.filter((l) => l.includes("Delet")) }).toEqual({ code: 0, deleted: [DELETING, `INFO Deleted A record ${name} (${ADDRESS})`] });
    expect(desec.read(name, "A")).toEqual([]);
  });

  it("a deletion the service refuses is logged, the set stays, and the exit code stays 0", async () => {
    const name = "refused.example.com";
    const refuse = () => desec.fault({ kind: "status", status: 403, method: "PUT", path: "/domains/*/rrsets/", message: "Insufficient token permissions.", times: 5 });
    const { code, lines } = await publishAndStop(desecEnv(name), () => desec.read(name, "A").includes(ADDRESS), refuse);
    expect(code).toBe(0);
    expect(lines.filter((l) => l.includes("Could not delete"))).toEqual([
      `ERROR Could not delete the A record ${name}: while deleting the record set, deSEC refused the PUT (HTTP 403: "Insufficient token permissions."); the token in DDNS_PROVIDER_API_TOKEN needs a policy with perm_write for these record sets; it stays in place`,
    ]);
    expect(desec.read(name, "A")).toEqual([ADDRESS]);
    desec.faults.clear();
  });

  it("a deletion that outlasts DDNS_SHUTDOWN_TIMEOUT ends with the guide's error and exit 2", async () => {
    const name = "hangs.example.com";
    const hang = () => desec.fault({ kind: "hang", method: "PUT", path: "/domains/*/rrsets/", times: 5 });
    const { code, lines } = await publishAndStop(desecEnv(name, { DDNS_SHUTDOWN_TIMEOUT: "1s" }), () => desec.read(name, "A").includes(ADDRESS), hang);
    expect(code).toBe(2);
    expect(lines).toContain("ERROR Shutdown error: Shutdown timeout after 1s");
    expect(lines).not.toContain("INFO Shutdown complete");
    desec.faults.clear();
  });
});

describe("DDNS_DELETE_ON_STOP with write-only services", () => {
  let duck: FakeDuckDns;
  beforeAll(() => {
    duck = startFakeDuckDns({ domains: ["myhome"] });
  });
  afterAll(() => duck.close());
  const duckEnv = (versions: string) => ({
    ...base(), DDNS_PROVIDER_TYPE: "duckdns", DDNS_PROVIDER_API_TOKEN: duck.config.token, DDNS_PROVIDER_API_URL: duck.url,
    DDNS_RECORDS: "myhome.duckdns.org", DDNS_IP_VERSIONS: versions, DDNS_IP_SOURCE_URLS_V6: `${ip.url}/v6`,
  });

  it("DuckDNS: on SIGTERM clears the name (clear=true) when the daemon manages both of its addresses", async () => {
    const { code, lines } = await publishAndStop(duckEnv("4,6"), () => duck.read("myhome.duckdns.org", "A").includes(ADDRESS));
    expect(code).toBe(0);
    expect(lines).toContain("INFO Deleting the 2 record(s) this daemon manages (DDNS_DELETE_ON_STOP)");
    expect(lines).toContain(`INFO Deleted A record myhome.duckdns.org (${ADDRESS})`);
    expect(duck.requests.at(-1)?.query).toEqual({ domains: "myhome", token: duck.config.token, clear: "true" });
    expect(duck.read("myhome.duckdns.org", "A")).toEqual([]);
  });

  it("DuckDNS: with IPv4 only the name stays (clear=true would erase its AAAA too), and the stop says why", async () => {
    const { code, lines } = await publishAndStop(duckEnv("4"), () => duck.read("myhome.duckdns.org", "A").includes(ADDRESS));
    expect(code).toBe(0);
    expect(lines).toContain("WARN Not deleting the A record myhome.duckdns.org: DuckDNS clears both addresses of a name at once (clear=true), and this daemon manages only its A record; it stays in place");
    expect(duck.read("myhome.duckdns.org", "A")).toEqual([ADDRESS]);
  });

  it("a DynDNS2 service cannot delete: check and start-up warn once, and the stop says it once", async () => {
    const env = { ...base(), DDNS_PROVIDER_TYPE: "noip", DDNS_PROVIDER_API_TOKEN: "noip-password", DDNS_DYNDNS2_USERNAME: "user", DDNS_RECORDS: "home.example.com" };
    const WARNING = "DDNS_DELETE_ON_STOP has no effect with noip (its update URL can set an address but not delete or clear one); its records stay in place when ddnsd stops.";
    const check = await runBinary(["check"], env);
    expect(check.code).toBe(0);
    expect(check.lines.filter((l) => l.includes("DDNS_DELETE_ON_STOP has"))).toEqual([`warning: ${WARNING}`]);
    const d = spawnDaemon(["run"], { ...env, DDNS_PROVIDER_API_URL: "http://127.0.0.1:9" });
    running.push(d);
    await d.waitForLine("Ready to monitor IP changes");
    d.kill("SIGTERM");
    expect(await d.exited(20_000)).toBe(0);
    expect(d.lines.filter((l) => l.includes("DDNS_DELETE_ON_STOP has"))).toEqual([`WARN ${WARNING}`]);
    expect(d.lines.filter((l) => l.includes("cannot delete records"))).toEqual(["WARN The noip provider cannot delete records: home.example.com A stay(s) in place"]);
  });
});
