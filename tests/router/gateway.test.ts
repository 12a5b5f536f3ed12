import { describe, expect, it } from "bun:test";
import { findRouter, parseDefaultGateway } from "../../src/ip/router/gateway.ts";
import { RTA_GATEWAY, RTA_OIF, RTM_NEWROUTE } from "../../src/ip/netlink/constants.ts";
import { encodeMessage, u32Attribute } from "../../src/ip/netlink/encode.ts";
import { encodeRtmsg } from "../../src/ip/netlink/route-dump.ts";
import { concatBytes, linkMessage } from "../netns/messages.ts";

const HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";
/** The main table's unicast default route (rtm_table 254, type 1) as the kernel sends it. */
function defaultRoute(r: { gateway: string; oif: number }): Uint8Array {
  const body = encodeRtmsg(2);
  body[4] = 254;
  body[7] = 1;
  const gateway = { type: RTA_GATEWAY, value: new Uint8Array(r.gateway.split(".").map(Number)) };
  return encodeMessage({ type: RTM_NEWROUTE, flags: 2, seq: 1, body, attributes: [gateway, u32Attribute(RTA_OIF, r.oif)] });
}
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

});

describe("the router to ask (findRouter)", () => {
  const PROC = [HEADER, row("eth0", "00000000", "0101A8C0", "0003", "100", "00000000")].join("\n");
  const DUMP_WITH_DEFAULT = concatBytes(linkMessage({ index: 3, name: "va" }), defaultRoute({ gateway: "192.0.2.1", oif: 3 }));
  const NOT_LINUX = Object.assign(new Error("no such file"), { code: "ENOENT" });
  const DENO_REFUSES = Object.assign(new Error('Requires read access to "/proc/net/route", run again with the --allow-all flag'), { name: "NotCapable" });
  const SET_IT = "set DDNS_IP_SOURCE_ROUTER_ADDRESS to the router's LAN address";

  it.each([
    { name: "the configured address, asking nothing", configured: "10.0.0.1", dump: { ok: false as const, error: "unused" }, file: PROC, expected: { ok: true, address: "10.0.0.1", how: "DDNS_IP_SOURCE_ROUTER_ADDRESS" }, reads: 0, dumps: 0 },
    { name: "/proc/net/route first, without a netlink dump", dump: { ok: true as const, messages: DUMP_WITH_DEFAULT }, file: PROC, expected: { ok: true, address: "192.168.1.1", how: "the default gateway on eth0" }, reads: 1, dumps: 0 },
    { name: "no default route in /proc/net/route: said as such, netlink not asked", dump: { ok: true as const, messages: DUMP_WITH_DEFAULT }, file: HEADER, expected: { ok: false, reason: `no router to ask: this host has no IPv4 default route; ${SET_IT}` }, reads: 1, dumps: 0 },
    { name: "the default gateway over netlink where /proc is refused (Deno)", dump: { ok: true as const, messages: DUMP_WITH_DEFAULT }, file: DENO_REFUSES, expected: { ok: true, address: "192.0.2.1", how: "the default gateway on va" }, reads: 1, dumps: 1 },
    {
      name: "no default route in the netlink dump",
      dump: { ok: true as const, messages: linkMessage({ index: 3, name: "va" }) },
      file: DENO_REFUSES,
      expected: { ok: false, reason: `no router to ask: this host has no IPv4 default route; ${SET_IT}` },
      reads: 1,
      dumps: 1,
    },
    {
      name: "neither (Deno without --allow-ffi, which refuses /proc): both reasons and what to set",
      dump: { ok: false as const, error: "Deno runs without --allow-ffi (add it to the deno run command or the task)" },
      file: DENO_REFUSES,
      expected: {
        ok: false,
        reason: `no router to ask: the default gateway could not be read (/proc/net/route: could not be read (NotCapable); netlink: Deno runs without --allow-ffi (add it to the deno run command or the task)); ${SET_IT}`,
      },
      reads: 1,
      dumps: 1,
    },
    {
      name: "neither (not Linux)",
      dump: { ok: false as const, error: "netlink exists only on Linux (this is darwin)" },
      file: NOT_LINUX,
      expected: { ok: false, reason: `no router to ask: the default gateway could not be read (/proc/net/route: could not be read (ENOENT); netlink: netlink exists only on Linux (this is darwin)); ${SET_IT}` },
      reads: 1,
      dumps: 1,
    },
  ])("$name", async ({ configured, dump, file, expected, reads, dumps }) => {
    const read: string[] = [];
    let dumped = 0;
    const world = {
      deadlineMs: 1000,
      dumpRoutes: async () => {
        dumped++;
        return dump;
      },
      readFile: async (path: string) => {
        read.push(path);
        if (typeof file !== "string") throw file;
        return file;
      },
    };
    expect(await findRouter(configured, world)).toEqual(expected as never);
    expect({ read, dumped }).toEqual({ read: reads ? ["/proc/net/route"] : [], dumped: dumps });
  });
});
