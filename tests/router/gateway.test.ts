import { describe, expect, it } from "bun:test";
import { findRouter, parseDefaultGateway } from "../../src/ip/router/gateway.ts";

const HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";
const row = (iface: string, dest: string, gw: string, flags: string, metric: string, mask: string) => `${iface}\t${dest}\t${gw}\t${flags}\t0\t0\t${metric}\t${mask}\t0\t0\t0`;

describe("the default gateway from /proc/net/route", () => {
  it.each([
    { name: "the default route's gateway, little-endian hex", rows: [row("eth0", "00000000", "0101A8C0", "0003", "100", "00000000"), row("eth0", "0001A8C0", "00000000", "0001", "100", "00FFFFFF")], expected: { address: "192.168.1.1", interface: "eth0" } },
    { name: "the lowest metric of several", rows: [row("wlan0", "00000000", "0100000A", "0003", "600", "00000000"), row("eth0", "00000000", "FE01A8C0", "0003", "100", "00000000")], expected: { address: "192.168.1.254", interface: "eth0" } },
    { name: "no route with the gateway flag", rows: [row("eth0", "00000000", "00000000", "0001", "0", "00000000")], expected: undefined },
    { name: "a route that is down", rows: [row("eth0", "00000000", "0101A8C0", "0002", "0", "00000000")], expected: undefined },
    { name: "garbage", rows: ["eth0 zz", "\u0000\u0001"], expected: undefined },
  ])("$name", ({ rows, expected }) => {
    expect(parseDefaultGateway([HEADER, ...rows].join("\n"))).toEqual(expected as never);
  });

  it("says what to set when there is no default route or no file", async () => {
    expect(await findRouter(undefined, async () => HEADER)).toEqual({
      ok: false,
      reason: "no router to ask: this host has no IPv4 default route (/proc/net/route); set DDNS_IP_SOURCE_ROUTER_ADDRESS to the router's LAN address",
    });
    expect(await findRouter(undefined, async () => Promise.reject(Object.assign(new Error("x"), { code: "ENOENT" })))).toMatchObject({ ok: false, reason: expect.stringContaining("could not be read (not Linux?)") });
    expect(await findRouter("10.0.0.1", async () => "")).toEqual({ ok: true, address: "10.0.0.1", how: "DDNS_IP_SOURCE_ROUTER_ADDRESS" });
  });
});
