import { describe, expect, it } from "bun:test";
import { decodePublicAddressAnswer, encodePublicAddressRequest } from "../../src/ip/router/nat-pmp.ts";
import { decodePcpAnswer, encodeAnnounce, encodeMap, mappedIpv4 } from "../../src/ip/router/pcp.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s+/g, ""), "hex"));
const NONCE = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
const MAP = { nonce: NONCE, protocol: 17, internalPort: 5000 };

describe("NAT-PMP public-address request (RFC 6886 §3.2)", () => {
  it("is version 0, opcode 0: two bytes", () => {
    expect(hex(encodePublicAddressRequest())).toBe("0000");
  });

  it.each([
    { name: "success gives the external address and the epoch", answer: "00 80 0000 00000064 cb007107", expected: { ok: true, address: "203.0.113.7", epochSeconds: 100 } },
    { name: "result 2 is the router refusing", answer: "00 80 0002 00000064", expected: { ok: false, reason: "the router refused the request (NAT-PMP is disabled or not authorized on the router)" } },
    { name: "result 3 is no working WAN connection", answer: "00 80 0003 00000064", expected: { ok: false, reason: "the router has no working WAN connection (network failure: no DHCP lease yet, or the uplink is down)" } },
    { name: "an unknown result code is quoted as a number", answer: "00 80 0063 00000064", expected: { ok: false, reason: "the router answered result code 99" } },
    { name: "success cut short is not an address", answer: "00 80 0000 00000064 cb00", expected: { ok: false, reason: "the router's answer is 10 bytes long, expected 12" } },
  ])("$name", ({ answer, expected }) => {
    expect(decodePublicAddressAnswer(bytes(answer))).toEqual(expected as never);
  });

  it.each([
    { name: "another opcode (a mapping answer)", answer: "00 81 0000 00000064 cb007107" },
    { name: "another version (PCP)", answer: "02 80 0000 00000064 cb007107" },
    { name: "too short for a header", answer: "00 80 00" },
  ])("ignores a datagram that is not the answer: $name", ({ answer }) => {
    expect(decodePublicAddressAnswer(bytes(answer))).toBeUndefined();
  });
});

describe("PCP packets (RFC 6887 §7.1, §11.1, §14.1)", () => {
  it("ANNOUNCE is a bare 24-byte header: version 2, opcode 0, lifetime 0, the client as ::ffff:a.b.c.d", () => {
    expect(hex(encodeAnnounce("192.168.1.20"))).toBe("02000000" + "00000000" + "00000000000000000000ffffc0a80114");
  });

  it("MAP is the header and 36 bytes: nonce, protocol, reserved, internal port, no suggested port or address", () => {
    expect(hex(encodeMap({ ...MAP, clientAddress: "192.168.1.20", lifetime: 60 }))).toBe(
      "02010000" + "0000003c" + "00000000000000000000ffffc0a80114" + "0102030405060708090a0b0c" + "11000000" + "1388" + "0000" + "00000000000000000000ffff00000000",
    );
  });

  it("refuses to write a client address that is not IPv4", () => {
    expect(mappedIpv4("::1")).toBeUndefined();
    expect(mappedIpv4("192.168.1.256")).toBeUndefined();
    expect(mappedIpv4("192.168.01.1")).toBeUndefined();
    expect(() => encodeAnnounce("fe80::1")).toThrow();
  });

  const mapAnswer = (result: number, payload = "0102030405060708090a0b0c" + "11000000" + "1388" + "9c40" + "00000000000000000000ffffcb007109") =>
    bytes("02 81 00" + result.toString(16).padStart(2, "0") + "00000078" + "000004d2" + "000000000000000000000000" + payload);

  it.each([
    { name: "MAP success gives the assigned external address and port", answer: mapAnswer(0), opcode: 1, expected: { kind: "success", opcode: 1, lifetime: 120, epoch: 1234, external: { address: "203.0.113.9", port: 40000 } } },
    { name: "ANNOUNCE success", answer: bytes("02 80 0000 00000000 000004d2 000000000000000000000000"), opcode: 0, expected: { kind: "success", opcode: 0, lifetime: 0, epoch: 1234 } },
    { name: "NOT_AUTHORIZED in the operator's words", answer: mapAnswer(2), opcode: 1, expected: { kind: "error", reason: "the router refused the request (PCP is disabled or this host is not allowed to map)" } },
    { name: "ADDRESS_MISMATCH points at a NAT in between", answer: mapAnswer(12), opcode: 1, expected: { kind: "error", reason: "the router sees this host's requests from another address than they name (a NAT between ddnsd and the router?)" } },
    { name: "an error without the payload", answer: bytes("02 81 0008 00000000 000004d2 000000000000000000000000"), opcode: 1, expected: { kind: "error", reason: "the router is out of resources for new mappings" } },
    { name: "a NAT-PMP server's UNSUPP_VERSION (§9)", answer: bytes("00 81 0001 000004d2"), opcode: 1, expected: { kind: "natpmp-only" } },
    { name: "an IPv6 external address", answer: mapAnswer(0, "0102030405060708090a0b0c" + "11000000" + "1388" + "9c40" + "20010db8000000000000000000000001"), opcode: 1, expected: { kind: "error", reason: "the router's PCP answer gives an IPv6 external address, not an IPv4 one" } },
  ])("reads $name", ({ answer, opcode, expected }) => {
    expect(decodePcpAnswer(answer, { opcode, ...(opcode === 1 ? { map: MAP } : {}) })).toEqual(expected as never);
  });

  it.each([
    { name: "another mapping's nonce", answer: mapAnswer(0, "ff02030405060708090a0b0c" + "11000000" + "1388" + "9c40" + "00000000000000000000ffffcb007109") },
    { name: "another internal port", answer: mapAnswer(0, "0102030405060708090a0b0c" + "11000000" + "1389" + "9c40" + "00000000000000000000ffffcb007109") },
    { name: "a request, not an answer (R bit clear)", answer: bytes("02 01 0000" + "0".repeat(112)) },
    { name: "a length that is not a multiple of 4", answer: bytes("02 81 0000 00000078 000004d2 000000000000000000000000 01") },
    { name: "a success answer without the MAP payload", answer: bytes("02 81 0000 00000078 000004d2 000000000000000000000000") },
  ])("ignores $name", ({ answer }) => {
    expect(decodePcpAnswer(answer, { opcode: 1, map: MAP })).toBeUndefined();
  });
});
