import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { digRecords, testKey, type TestKey } from "../peers/dns-fixtures.ts";
import { startKnot, type DnsPeer } from "../peers/knot-peer.ts";
import { startBind } from "../peers/bind-peer.ts";
import { nsupdateEdit, uniqueName } from "../peers/rfc2136-setup.ts";
import { runBinary, spawnDaemon } from "./harness.ts";
import { startIpEcho, type IpEchoServer } from "../fakes/ip-echo.ts";

/**
 * The owner registry (DDNS_OWNER_ID) on RFC 2136, seen from outside: dist/ddnsd against real Knot DNS and BIND. The
 * set is the unit: a set is this daemon's when the TXT set at `_ddnsd-a.<name>` holds `heritage=ddnsd,owner=<id>`.
 */
setDefaultTimeout(60_000);

const SERVERS: Array<{ server: string; start: (key: TestKey) => Promise<DnsPeer> }> = [
  { server: "Knot", start: (key) => startKnot([key]) },
  { server: "BIND", start: (key) => startBind({ keys: [key] }) },
];

describe.each(SERVERS)("DDNS_OWNER_ID with rfc2136 against $server", ({ start }) => {
  const key = testKey("owner-key");
  let dns: DnsPeer;
  let ip: IpEchoServer;
  let dir: string;
  beforeAll(async () => {
    [dns, ip, dir] = await Promise.all([start(key), Promise.resolve(startIpEcho({ v4: "203.0.113.7" })), mkdtemp(join(tmpdir(), "ddnsd-owner-"))]);
  });
  afterAll(async () => {
    await Promise.all([dns?.stop(), ip?.stop(), rm(dir, { recursive: true, force: true })]);
  });

  const env = (name: string, extra: Record<string, string> = {}) => ({
    DDNS_PROVIDER_TYPE: "rfc2136",
    DDNS_PROVIDER_API_TOKEN: key.secret,
    DDNS_RFC2136_SERVER: `127.0.0.1:${dns.port}`,
    DDNS_RFC2136_TSIG_KEY_NAME: key.name,
    DDNS_RFC2136_TSIG_ALGORITHM: key.algorithm,
    DDNS_RECORDS: name,
    DDNS_IP_VERSIONS: "4",
    DDNS_IP_SOURCE_URLS_V4: `${ip.url}/v4`,
    DDNS_HTTP_ADDR: "off",
    DDNS_OWNER_ID: "site-a",
    ...extra,
  });
  const owners = (name: string) => digRecords(dns.port, `_ddnsd-a.${name}`, "TXT");
  const notOurs = (name: string) =>
    `ERROR Could not update A record ${name} to 203.0.113.7: the record set is not ddnsd's: no owner TXT record of DDNS_OWNER_ID "site-a" at "_ddnsd-a.${name}" claims it, and RFC 2136 replaces a whole set at once, so ddnsd leaves it exactly as it is; add the TXT record "heritage=ddnsd,owner=site-a" there to hand it over (or set DDNS_OWNER_ADOPT=true), or delete it kind=config attempt=1`;

  it("leaves a hand-made A set exactly as it is, and its record fails with the reason", async () => {
    ip.set({ v4: "203.0.113.7" });
    const name = uniqueName("hand");
    await nsupdateEdit(dns.port, key, name, "A", ["192.0.2.50"]);
    const before = await dns.updates();
    const r = await runBinary(["once"], env(name));
    expect(r.code).toBe(2);
    expect(r.lines).toContain(notOurs(name));
    expect(await digRecords(dns.port, name, "A")).toEqual(["192.0.2.50"]);
    expect(await owners(name)).toEqual([]);
    expect(await dns.updates()).toBe(before);
  });

  it("creates its own set and owner TXT in one UPDATE, then updates only the set when the address changes", async () => {
    ip.set({ v4: "203.0.113.7" });
    const name = uniqueName("own");
    const before = await dns.updates();
    const daemon = spawnDaemon(["run"], env(name, { DDNS_POLL_INTERVAL: "1s" }), [key.secret]);
    try {
      await daemon.waitForLine(`Created A record ${name}`);
      expect(await dns.updates()).toBe(before + 1);
      expect(await digRecords(dns.port, name, "A")).toEqual(["203.0.113.7"]);
      expect(await owners(name)).toEqual(['"heritage=ddnsd,owner=site-a"']);
      ip.set({ v4: "198.51.100.9" });
      await daemon.waitForLine(`Updated A record ${name}: 203.0.113.7 → 198.51.100.9`);
      expect(await digRecords(dns.port, name, "A")).toEqual(["198.51.100.9"]);
      expect(await owners(name)).toEqual(['"heritage=ddnsd,owner=site-a"']);
      expect(await dns.updates()).toBe(before + 2);
    } finally {
      daemon.kill("SIGKILL");
    }
  });

  it("keeps ownership across a restart with a file state", async () => {
    ip.set({ v4: "203.0.113.7" });
    const name = uniqueName("restart");
    const state = { DDNS_STATE_STORE_TYPE: "file", DDNS_STATE_STORE_PATH: join(dir, `${name}.json`) };
    expect((await runBinary(["once"], env(name, state))).code).toBe(0);
    ip.set({ v4: "198.51.100.10" });
    const again = await runBinary(["once"], env(name, state));
    expect({ code: again.code, failures: again.lines.filter((l) => /ERROR|WARN/.test(l)) }).toEqual({ code: 0, failures: [] });
    expect(again.lines).toContain(`INFO Updated A record ${name}: 203.0.113.7 → 198.51.100.10`);
    expect(await digRecords(dns.port, name, "A")).toEqual(["198.51.100.10"]);
    expect(await owners(name)).toEqual(['"heritage=ddnsd,owner=site-a"']);
  });

  it("an owner TXT of another owner blocks the name, even with no set there", async () => {
    ip.set({ v4: "203.0.113.7" });
    const name = uniqueName("theirs");
    await nsupdateEdit(dns.port, key, `_ddnsd-a.${name}`, "TXT", ['"heritage=ddnsd,owner=site-b"']);
    const r = await runBinary(["once"], env(name, { DDNS_OWNER_ADOPT: "true" }));
    expect(r.code).toBe(2);
    expect(r.lines).toContain(
      `ERROR Could not update A record ${name} to 203.0.113.7: the record set is another daemon's: an owner TXT record of another owner ("site-b") at "_ddnsd-a.${name}" claims it, and RFC 2136 replaces a whole set at once, so ddnsd leaves it exactly as it is; give each daemon its own name, or delete that TXT record to hand the set over kind=config attempt=1`,
    );
    expect(await digRecords(dns.port, name, "A")).toEqual([]);
    expect(await owners(name)).toEqual(['"heritage=ddnsd,owner=site-b"']);
  });

  it("with DDNS_OWNER_ADOPT adopts a set no owner TXT claims, once, and says so", async () => {
    ip.set({ v4: "203.0.113.7" });
    const name = uniqueName("adopt");
    await nsupdateEdit(dns.port, key, name, "A", ["192.0.2.50"]);
    const first = await runBinary(["once"], env(name, { DDNS_OWNER_ADOPT: "true" }));
    expect(first.code).toBe(0);
    expect(first.lines).toContain(`INFO Adopted the A record ${name} (192.0.2.50) for DDNS_OWNER_ID "site-a"`);
    expect(first.lines).toContain(`INFO Updated A record ${name}: 192.0.2.50 → 203.0.113.7`);
    expect(await digRecords(dns.port, name, "A")).toEqual(["203.0.113.7"]);
    expect(await owners(name)).toEqual(['"heritage=ddnsd,owner=site-a"']);
    const second = await runBinary(["once"], env(name, { DDNS_OWNER_ADOPT: "true" }));
    expect(second.lines.filter((l) => l.includes("Adopted"))).toEqual([]);
  });
  it("with DDNS_DELETE_ON_STOP, SIGTERM deletes its set and its owner TXT text; another owner's TXT, a foreign text and a hand-made set stay", async () => {
    ip.set({ v4: "203.0.113.7" });
    const [own, hand, theirs] = [uniqueName("stop-own"), uniqueName("stop-hand"), uniqueName("stop-theirs")];
    await nsupdateEdit(dns.port, key, `_ddnsd-a.${own}`, "TXT", ['"v=spf1 -all"']);
    await nsupdateEdit(dns.port, key, hand, "A", ["192.0.2.50"]);
    await nsupdateEdit(dns.port, key, `_ddnsd-a.${theirs}`, "TXT", ['"heritage=ddnsd,owner=site-b"']);
    const daemon = spawnDaemon(["run"], env(own, { DDNS_RECORDS: `${own},${hand},${theirs}`, DDNS_DELETE_ON_STOP: "true" }), [key.secret]);
    try {
      await daemon.waitForLine(`INFO Created A record ${own} → 203.0.113.7`);
      expect((await owners(own)).sort()).toEqual(['"heritage=ddnsd,owner=site-a"', '"v=spf1 -all"']);
      daemon.kill("SIGTERM");
      expect(await daemon.exited(20_000)).toBe(0);
      expect(daemon.lines.filter((l) => /^\w+ +(Deleting|Deleted|Not deleting|No A record|Could not delete)/.test(l)).sort()).toEqual([
        "INFO Deleted A record " + own + " (203.0.113.7)",
        "INFO Deleting the 3 record(s) this daemon manages (DDNS_DELETE_ON_STOP)",
        `INFO No A record ${theirs} of this daemon to delete`,
        `WARN Not deleting the A record ${hand}: the set is not this daemon's: no owner TXT record of DDNS_OWNER_ID "site-a" at "_ddnsd-a.${hand}" claims it; it stays in place`,
      ]);
      expect(daemon.lines).toContain("INFO Shutdown complete");
      expect(await digRecords(dns.port, own, "A")).toEqual([]);
      expect(await owners(own)).toEqual(['"v=spf1 -all"']);
      expect(await digRecords(dns.port, hand, "A")).toEqual(["192.0.2.50"]);
      expect(await owners(hand)).toEqual([]);
      expect(await owners(theirs)).toEqual(['"heritage=ddnsd,owner=site-b"']);
    } finally {
      daemon.kill("SIGKILL");
    }
  });

  it("with DDNS_DELETE_ON_STOP, the owner TXT set goes whole when this owner's text was all it held", async () => {
    ip.set({ v4: "203.0.113.7" });
    const name = uniqueName("stop-whole");
    const daemon = spawnDaemon(["run"], env(name, { DDNS_DELETE_ON_STOP: "true" }), [key.secret]);
    try {
      await daemon.waitForLine(`INFO Created A record ${name} → 203.0.113.7`);
      daemon.kill("SIGTERM");
      expect(await daemon.exited(20_000)).toBe(0);
      expect(daemon.lines).toContain(`INFO Deleted A record ${name} (203.0.113.7)`);
      expect(await digRecords(dns.port, name, "A")).toEqual([]);
      expect(await owners(name)).toEqual([]);
    } finally {
      daemon.kill("SIGKILL");
    }
  });
});
