import { describe, expect, it } from "bun:test";
import { defaultGatewayOf, parseIpv4Routes, routeDumpRequest } from "../../src/ip/netlink/route-dump.ts";
import { concatBytes, linkMessage } from "../netns/messages.ts";

/**
 * The router source's default gateway over rtnetlink (rtnetlink(7); include/uapi/linux/rtnetlink.h): the
 * RTM_GETROUTE dump request byte for byte, and the kernel's RTM_NEWROUTE answers read from bytes captured from
 * Linux 6.x in a network namespace (`ip route add default via 192.0.2.1 dev va metric 100`, the same with
 * `table 100`, and the connected and local routes around them).
 */

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s+/g, ""), "hex"));

/** An nlmsghdr (length, type 24 RTM_NEWROUTE, flags NLM_F_MULTI, seq 2, pid 0) around a captured rtmsg payload. */
function route(payloadHex: string): Uint8Array {
  const payload = hex(payloadHex);
  const header = new Uint8Array(16);
  const view = new DataView(header.buffer);
  view.setUint32(0, 16 + payload.length, true);
  view.setUint16(4, 24, true);
  view.setUint16(6, 2, true);
  view.setUint32(8, 2, true);
  return concatBytes(header, payload);
}

// rtmsg (family 2, dst_len, src_len, tos, table, protocol, scope, type, flags u32), then rtattrs, as the kernel sent them.
const MAIN_DEFAULT = route("02000000 fe030001 00000000 08000f00fe000000 0800060064000000 08000500c0000201 0800040003000000");
const TABLE_100_DEFAULT = route("02000000 64030001 00000000 08000f0064000000 08000500c0000263 0800040003000000");
const CONNECTED = route("02180000 fe02fd01 00000000 08000f00fe000000 08000100c0000200 08000700c0000202 0800040003000000");
const LOCAL = route("02200000 ff02fe02 00000000 08000f00ff000000 08000100c0000202 08000700c0000202 0800040003000000");
/** A second uplink's default route: metric 50, gateway 198.51.100.1, interface 4. */
const BACKUP_DEFAULT = route("02000000 fe030001 00000000 08000f00fe000000 0800060032000000 08000500c6336401 0800040004000000");
/** A default route without a gateway (`default dev ppp0`): there is no router address to ask. */
const DEVICE_DEFAULT = route("02000000 fe030001 00000000 08000f00fe000000 0800040005000000");
/** An IPv6 default route (family 10): not ours. */
const IPV6_DEFAULT = route("0a000000 fe030001 00000000 08000f00fe000000 14000500fe800000000000000000000000000001 0800040003000000");
const VA = linkMessage({ index: 3, name: "va" });

describe("the RTM_GETROUTE dump over netlink", () => {
  it("asks for every IPv4 route: nlmsghdr RTM_GETROUTE, NLM_F_REQUEST|NLM_F_DUMP, then an rtmsg for AF_INET", () => {
    expect(Buffer.from(routeDumpRequest(7)).toString("hex")).toBe(
      // length 28 | type 26 | flags 0x0301 | seq 7 | pid 0 | family 2, eleven zero bytes (rtmsg is 12 bytes)
      "1c000000" + "1a00" + "0103" + "07000000" + "00000000" + "02" + "00".repeat(11),
    );
  });

  it("reads the kernel's route messages: table, destination length, type, gateway, interface, metric", () => {
    expect(parseIpv4Routes(concatBytes(MAIN_DEFAULT, TABLE_100_DEFAULT, CONNECTED, IPV6_DEFAULT))).toEqual([
      { dstLen: 0, table: 254, type: 1, gateway: "192.0.2.1", oif: 3, priority: 100 },
      { dstLen: 0, table: 100, type: 1, gateway: "192.0.2.99", oif: 3, priority: 0 },
      { dstLen: 24, table: 254, type: 1, oif: 3, priority: 0 },
    ]);
  });

  it.each([
    { name: "the main table's default route, named by the link dump", messages: [VA, LOCAL, CONNECTED, MAIN_DEFAULT, TABLE_100_DEFAULT], expected: { address: "192.0.2.1", interface: "va" } },
    { name: "the lowest metric of two uplinks", messages: [VA, MAIN_DEFAULT, BACKUP_DEFAULT], expected: { address: "198.51.100.1" } },
    { name: "a default route in another table only", messages: [VA, CONNECTED, TABLE_100_DEFAULT], expected: undefined },
    { name: "a default route without a gateway (point-to-point)", messages: [VA, DEVICE_DEFAULT], expected: undefined },
    { name: "an IPv6 default route only", messages: [VA, IPV6_DEFAULT], expected: undefined },
    { name: "no routes at all", messages: [VA], expected: undefined },
    { name: "a truncated message after a good one", messages: [VA, MAIN_DEFAULT, MAIN_DEFAULT.subarray(0, 30)], expected: { address: "192.0.2.1", interface: "va" } },
    { name: "an attribute that claims more bytes than the message has", messages: [route("02000000 fe030001 00000000 ff000500c0000201")], expected: undefined },
  ])("default gateway: $name", ({ messages, expected }) => {
    expect(defaultGatewayOf(concatBytes(...messages))).toEqual(expected as never);
  });
});
