import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { assertNoSecretLeaked, fetchChecked, runBinary, spawnDaemon, type Daemon } from "./harness.ts";
import { freePort, startWorld, until, type TestWorld } from "./world.ts";
import { AUTH, startPushDaemon, type PushDaemon } from "../update-server/push-daemon.ts";

/**
 * dist/ddnsd with per-record IPv6 suffixes (docs/ipv6-suffixes.md) against the fake Cloudflare API: the NAS and the
 * printer get AAAA records built from the detected prefix, a new prefix moves every derived record in one round
 * (one batch request for the zone), and the push endpoint answers by the derived addresses.
 */
setDefaultTimeout(60_000);
let w: TestWorld;
const running: Daemon[] = [];
beforeAll(async () => {
  w = await startWorld();
});
afterEach(() => {
  running.splice(0).forEach((d) => d.kill("SIGKILL"));
});
afterAll(async () => {
  await w.stop();
  assertNoSecretLeaked();
});

const RECORDS = "home.example.com,nas.example.com{ipv6_suffix=::11:22ff:fe33:4455},printer.example.com{ip_versions=6,ipv6_suffix=mac(aa:bb:cc:dd:ee:ff)}";
const aaaa = () => ({ home: w.cf.contents("home.example.com", "AAAA"), nas: w.cf.contents("nas.example.com", "AAAA"), printer: w.cf.contents("printer.example.com", "AAAA") });

describe("dist/ddnsd with ipv6_suffix records (http source)", () => {
  it("publishes the NAS and the printer at the detected prefix, and moves both in one batch when the prefix changes", async () => {
    w.ip.set({ v4: "203.0.113.7", v6: "2001:db8:1:2::7" });
    const port = await freePort();
    const d = spawnDaemon([], w.env({ DDNS_RECORDS: RECORDS, DDNS_IP_VERSIONS: "4,6", DDNS_HTTP_ADDR: `127.0.0.1:${port}` }), [w.token]);
    running.push(d);
    await d.waitForLine("INFO Ready to monitor IP changes");
    await until(() => fetchChecked(`http://127.0.0.1:${port}/readyz`).then((r) => r.status), (s) => s === 200, 15_000, "readiness");
    expect(aaaa()).toEqual({ home: ["2001:db8:1:2::7"], nas: ["2001:db8:1:2:11:22ff:fe33:4455"], printer: ["2001:db8:1:2:a8bb:ccff:fedd:eeff"] });
    expect(w.cf.contents("printer.example.com", "A")).toEqual([]);

    w.cf.clearRequests();
    w.ip.set({ v4: "203.0.113.7", v6: "2001:db8:9:8::7" });
    await d.waitForLine("INFO Updated AAAA record printer.example.com: 2001:db8:1:2:a8bb:ccff:fedd:eeff → 2001:db8:9:8:a8bb:ccff:fedd:eeff");
    expect(aaaa()).toEqual({ home: ["2001:db8:9:8::7"], nas: ["2001:db8:9:8:11:22ff:fe33:4455"], printer: ["2001:db8:9:8:a8bb:ccff:fedd:eeff"] });
    const writes = w.cf.requests().filter((r) => r.method !== "GET");
    expect(writes.map((r) => `${r.method} ${r.path.replace(/^\/zones\/[^/]+/, "/zones/ID")}`)).toEqual(["POST /zones/ID/dns_records/batch"]);
    const patches = (writes[0]!.body as { patches?: Array<{ content: string }> }).patches ?? [];
    expect(patches.map((p) => p.content).sort()).toEqual(["2001:db8:9:8:11:22ff:fe33:4455", "2001:db8:9:8::7", "2001:db8:9:8:a8bb:ccff:fedd:eeff"]);
  });

  it("ddnsd check refuses a suffix with bits inside the prefix in one line naming the record", async () => {
    const { code, stderr } = await runBinary(["check"], w.env({ DDNS_RECORDS: "home.example.com,nas.example.com{ipv6_suffix=2001:db8::11}" }));
    expect({ code, stderr }).toEqual({
      code: 1,
      stderr: ['Configuration error: DDNS_RECORDS has "nas.example.com{ipv6_suffix=2001:db8::11}": ipv6_suffix "2001:db8::11" sets bit 3, inside the 64-bit prefix taken from the detected address (DDNS_IPV6_PREFIX_LENGTH=64): write only the last 64 bits, e.g. ::11:22ff:fe33:4455.'],
    });
  });

  it("ddnsd check refuses a malformed MAC and a prefix length outside 1…128", async () => {
    const mac = await runBinary(["check"], w.env({ DDNS_RECORDS: "printer.example.com{ipv6_suffix=mac(aa:bb:cc:dd:ee:gg)}" }));
    expect({ code: mac.code, stderr: mac.stderr }).toEqual({
      code: 1,
      stderr: ['Configuration error: DDNS_RECORDS has "printer.example.com{ipv6_suffix=mac(aa:bb:cc:dd:ee:gg)}": ipv6_suffix "mac(aa:bb:cc:dd:ee:gg)" is not a MAC address: write mac(aa:bb:cc:dd:ee:ff), six pairs of hex digits.'],
    });
    const length = await runBinary(["check"], w.env({ DDNS_RECORDS: RECORDS, DDNS_IPV6_PREFIX_LENGTH: "129" }));
    expect({ code: length.code, stderr: length.stderr }).toEqual({ code: 1, stderr: ['Configuration error: DDNS_IPV6_PREFIX_LENGTH must be a prefix length from 1 to 128 bits, usually 64 or 56 (got "129").'] });
  });
});

describe("dist/ddnsd with ipv6_suffix records (push source)", () => {
  let d: PushDaemon;
  beforeAll(async () => {
    d = await startPushDaemon(w.cf.url, { DDNS_PROVIDER_API_TOKEN: w.token, DDNS_RECORDS: RECORDS, DDNS_IP_VERSIONS: "6" });
  });
  afterAll(async () => {
    expect(await d.stop()).toBe(0);
  });
  const push = (query: string) => fetchChecked(`${d.base}/nic/update?${query}`, { headers: AUTH }).then((r) => ({ status: r.status, body: r.body }));

  it("answers good, nochg by the derived address, and good again for a new prefix", async () => {
    expect(await push("hostname=nas.example.com&myip=2001:db8:5:6::1")).toEqual({ status: 200, body: "good 2001:db8:5:6::1\n" });
    expect(aaaa()).toEqual({ home: ["2001:db8:5:6::1"], nas: ["2001:db8:5:6:11:22ff:fe33:4455"], printer: ["2001:db8:5:6:a8bb:ccff:fedd:eeff"] });
    // Another interface identifier in the same /64: the NAS's AAAA stays what it is.
    expect(await push("hostname=nas.example.com&myip=2001:db8:5:6::2")).toEqual({ status: 200, body: "nochg 2001:db8:5:6::2\n" });
    expect(aaaa().nas).toEqual(["2001:db8:5:6:11:22ff:fe33:4455"]);
    expect(await push("hostname=printer.example.com&myip=2001:db8:5:6::2")).toEqual({ status: 200, body: "nochg 2001:db8:5:6::2\n" });
    expect(await push("hostname=nas.example.com&myip=2001:db8:7:7::1")).toEqual({ status: 200, body: "good 2001:db8:7:7::1\n" });
    expect(aaaa()).toEqual({ home: ["2001:db8:7:7::1"], nas: ["2001:db8:7:7:11:22ff:fe33:4455"], printer: ["2001:db8:7:7:a8bb:ccff:fedd:eeff"] });
  });
});
