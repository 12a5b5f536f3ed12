import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import { NLM_F_DUMP_INTR } from "../../src/ip/netlink/constants.ts";
import { linkDumpRequest } from "../../src/ip/netlink/encode.ts";
import { parseMessages, splitMessages } from "../../src/ip/netlink/parse.ts";
import { addressMessage, concatBytes, doneMessage, errorMessage, linkMessage } from "../netns/messages.ts";

describe("parseMessages", () => {
  it.each([
    {
      name: "IPv4: the address is IFA_LOCAL, not the point-to-point peer in IFA_ADDRESS",
      bytes: addressMessage({ index: 3, address: "203.0.113.7", peer: "198.51.100.1", prefixLen: 32, flags: 0x80 }),
      expected: { family: 4, index: 3, address: "203.0.113.7", prefixLen: 32, flags: 0x80 },
    },
    {
      name: "IPv6: the address is IFA_ADDRESS when there is no IFA_LOCAL",
      bytes: addressMessage({ index: 2, address: "2001:db8::5", flags: 0x40 }),
      expected: { family: 6, index: 2, address: "2001:db8::5", prefixLen: 64, flags: 0x40 },
    },
    {
      name: "IFA_FLAGS (u32) wins over the legacy u8 flags",
      bytes: addressMessage({ index: 2, address: "2001:db8::6", flags: 0x880 }),
      expected: { flags: 0x880 },
    },
    {
      name: "IFA_CACHEINFO gives the lifetimes, 0xFFFFFFFF meaning forever",
      bytes: addressMessage({ index: 2, address: "2001:db8::7", preferredLft: 0, validLft: null }),
      expected: { preferredLft: 0, validLft: null },
    },
    {
      name: "RTM_DELADDR is a deletion",
      bytes: addressMessage({ op: "del", index: 4, address: "192.0.2.1" }),
      expected: { op: "del", address: "192.0.2.1" },
    },
  ])("$name", ({ bytes, expected }) => {
    const result = parseMessages(bytes);
    expect(result.errors).toEqual([]);
    expect(result.events).toHaveLength(1);
    expect(result.events[0]).toMatchObject({ kind: "address", ...expected });
  });

  it("reads RTM_NEWLINK and RTM_DELLINK into index → name", () => {
    const result = parseMessages(concatBytes(linkMessage({ index: 7, name: "ppp0" }), linkMessage({ op: "del", index: 7, name: "ppp0" })));
    expect(result.events).toEqual([
      { kind: "link", op: "new", index: 7, name: "ppp0" },
      { kind: "link", op: "del", index: 7, name: "ppp0" },
    ]);
  });

  it("reports NLMSG_DONE, NLMSG_ERROR and NLM_F_DUMP_INTR", () => {
    const result = parseMessages(
      concatBytes(linkMessage({ index: 1, name: "lo", seq: 9, msgFlags: 2 | NLM_F_DUMP_INTR }), errorMessage(8, 16), doneMessage(9)),
    );
    expect(result.done).toEqual([9]);
    expect(result.failures).toEqual([{ seq: 8, errno: 16 }]);
    expect(result.dumpInterrupted).toBe(true);
  });

  it("ignores message types it does not handle (our own dump request)", () => {
    expect(parseMessages(linkDumpRequest(1))).toEqual({ events: [], errors: [], done: [], failures: [], dumpInterrupted: false });
  });

  it.each([
    { name: "a header cut short", bytes: addressMessage({ index: 1, address: "192.0.2.1" }).subarray(0, 10), error: "truncated netlink header at byte 0" },
    { name: "a length past the end", bytes: addressMessage({ index: 1, address: "192.0.2.1" }).subarray(0, 30), error: "netlink message at byte 0 claims 40 bytes, 30 remain" },
    { name: "a length below the header size", bytes: new Uint8Array([4, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), error: "netlink message at byte 0 claims 4 bytes, 16 remain" },
  ])("returns an error for $name", ({ bytes, error }) => {
    const result = parseMessages(bytes);
    expect(result.events).toEqual([]);
    expect(result.errors).toEqual([error]);
  });

  it("keeps the messages before a broken one", () => {
    const good = addressMessage({ index: 1, address: "192.0.2.1" });
    const result = parseMessages(concatBytes(good, good.subarray(0, 20)));
    expect(result.events).toHaveLength(1);
    expect(result.errors).toHaveLength(1);
  });

  it("rejects an address attribute of the wrong length", () => {
    const bytes = addressMessage({ index: 1, address: "192.0.2.1" });
    bytes[16] = 10; // the family byte now says IPv6, but the attributes hold 4-byte addresses
    expect(parseMessages(bytes).errors).toEqual(["IPv6 address message without a valid address attribute"]);
  });
});

describe("parser robustness (fuzz)", () => {
  const valid = [
    addressMessage({ index: 2, address: "2001:db8::1", flags: 0x80, preferredLft: 10, validLft: 20 }),
    addressMessage({ index: 3, address: "192.0.2.4", peer: "192.0.2.5" }),
    linkMessage({ index: 2, name: "eth0" }),
    doneMessage(1),
    errorMessage(2, 105),
  ];

  it("never throws and always terminates on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const result = parseMessages(bytes);
        expect(Array.isArray(result.events)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it("never throws on valid streams that are truncated or corrupted at random", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...valid), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 6 }),
        (messages, cut, flips) => {
          const bytes = concatBytes(...messages).slice();
          for (const f of flips) bytes[f.at % bytes.length] = f.value;
          const truncated = bytes.subarray(0, cut % (bytes.length + 1));
          const result = parseMessages(truncated);
          expect(result.events.length).toBeLessThanOrEqual(messages.length);
          expect(splitMessages(truncated).messages.length).toBeLessThanOrEqual(Math.ceil(truncated.length / 16));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("parses every intact stream completely and without errors", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...valid), { maxLength: 12 }), (messages) => {
        const result = parseMessages(concatBytes(...messages));
        expect(result.errors).toEqual([]);
        expect(result.events.length + result.done.length + result.failures.length).toBe(messages.length);
      }),
    );
  });
});
