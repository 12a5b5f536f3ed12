import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { assertNoSecretLeaked, spawnDaemon, type Daemon } from "./harness.ts";
import { startIpEcho, type IpEchoServer } from "../fakes/ip-echo.ts";
import { startPowerDns, type PowerDnsPeer } from "../peers/pdns-peer.ts";
import { pdnsApi } from "../peers/powerdns-setup.ts";

/**
 * DDNS_DELETE_ON_STOP with DDNS_OWNER_ID on an API that writes several sets at once, seen from outside: dist/ddnsd
 * against the real PowerDNS deletes its set and removes its text from the owner TXT set in one PATCH on SIGTERM.
 * (RFC 2136 against Knot and BIND: tests/blackbox/owner-registry-rfc2136.test.ts.)
 */
setDefaultTimeout(60_000);
const ADDRESS = "203.0.113.7";
const PDNS_ZONE = "owners.example";
let ip: IpEchoServer;
let pdns: PowerDnsPeer;
const running: Daemon[] = [];

beforeAll(async () => {
  ip = startIpEcho({ v4: ADDRESS });
  pdns = await startPowerDns();
  await pdns.createZone(PDNS_ZONE);
});
afterEach(() => running.splice(0).forEach((d) => d.kill("SIGKILL")));
afterAll(async () => {
  await Promise.all([ip.stop(), pdns?.stop()]);
  assertNoSecretLeaked();
});

const pdnsEnv = (name: string, extra: Record<string, string> = {}) => ({
  DDNS_IP_VERSIONS: "4", DDNS_IP_SOURCE_URLS_V4: `${ip.url}/v4`, DDNS_HTTP_ADDR: "off", DDNS_DELETE_ON_STOP: "true",
  DDNS_PROVIDER_TYPE: "powerdns", DDNS_PROVIDER_API_TOKEN: pdns.apiKey, DDNS_PROVIDER_API_URL: pdns.apiUrl, DDNS_RECORDS: name, ...extra,
});

describe("DDNS_DELETE_ON_STOP with DDNS_OWNER_ID on PowerDNS (one PATCH for the set and its owner TXT)", () => {
  const held = async (name: string, type: string) => {
    const zone = (await (await pdnsApi(pdns, "GET", `/zones/${PDNS_ZONE}.`)).json()) as { rrsets: Array<{ name: string; type: string; records: Array<{ content: string }> }> };
    return zone.rrsets.filter((r) => r.name === `${name}.` && r.type === type).flatMap((r) => r.records.map((x) => x.content)).sort();
  };
  const txt = (name: string, contents: string[]) => ({ name: `_ddnsd-a.${name}.`, type: "TXT", ttl: 300, changetype: "REPLACE", records: contents.map((content) => ({ content, disabled: false })) });

  it("on SIGTERM deletes its set and its owner text; a foreign text beside it and another owner's TXT stay", async () => {
    const own = `owned.${PDNS_ZONE}`;
    const theirs = `theirs.${PDNS_ZONE}`;
    const seeded = await pdnsApi(pdns, "PATCH", `/zones/${PDNS_ZONE}.`, { rrsets: [txt(own, ['"v=spf1 -all"']), txt(theirs, ['"heritage=ddnsd,owner=site-b"'])] });
    expect(seeded.status).toBe(204);
    const env = pdnsEnv(own, { DDNS_RECORDS: `${own},${theirs}`, DDNS_OWNER_ID: "site-a" });
    const d = spawnDaemon(["run"], env);
    running.push(d);
    await d.waitForLine(`INFO Created A record ${own} → ${ADDRESS}`);
    expect(await held(`_ddnsd-a.${own}`, "TXT")).toEqual(['"heritage=ddnsd,owner=site-a"', '"v=spf1 -all"']);
    d.kill("SIGTERM");
    expect(await d.exited(20_000)).toBe(0);
    expect(d.lines.filter((l) => /^\w+ +(Deleting|Deleted|Not deleting|No A record|Could not delete)/.test(l)).sort()).toEqual([
      `INFO Deleted A record ${own} (${ADDRESS})`,
      "INFO Deleting the 2 record(s) this daemon manages (DDNS_DELETE_ON_STOP)",
      `INFO No A record ${theirs} of this daemon to delete`,
    ]);
    expect(await held(own, "A")).toEqual([]);
    expect(await held(`_ddnsd-a.${own}`, "TXT")).toEqual(['"v=spf1 -all"']);
    expect(await held(`_ddnsd-a.${theirs}`, "TXT")).toEqual(['"heritage=ddnsd,owner=site-b"']);
  });
});
