import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import { decodePublicAddressAnswer } from "../../src/ip/router/nat-pmp.ts";
import { decodePcpAnswer } from "../../src/ip/router/pcp.ts";
import { parseSsdpAnswer } from "../../src/ip/router/ssdp.ts";
import { findWanService } from "../../src/ip/router/igd-description.ts";
import { parseGetExternalIpAnswer } from "../../src/ip/router/igd-soap.ts";
import { createRouterSource } from "../../src/ip/router/router-source.ts";
import type { OpenUdp, UdpSocket } from "../../src/ip/router/udp-types.ts";
import { checkPublishable } from "../../src/core/address-rules.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { descriptionXml } from "./fake-igd.ts";

/**
 * Garbage from the LAN: arbitrary bytes and strings, and valid answers with bytes flipped, cut or spliced, never make
 * a parser throw, and whatever address comes out was in the input — and what the source hands on is a public IPv4
 * address (nothing else reaches DNS).
 */
const ROUTER = "192.168.1.1";
const NONCE = new Uint8Array([9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2]);
const MAP = { nonce: NONCE, protocol: 17, internalPort: 4242 };
const hex = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
const VALID_NATPMP = hex("0080000000000064cb007107");
const VALID_PCP = hex("02810000000000780000007b000000000000000000000000" + "090807060504030201000102" + "11000000" + "1092" + "9c40" + "00000000000000000000ffffcb007109");
const VALID_ANNOUNCE = hex("02800000000000000000007b000000000000000000000000");
const RUNS = { numRuns: 2000 };

/** A valid answer with some bytes changed, the tail cut off or random bytes appended. */
const mutated = (valid: Uint8Array) =>
  fc
    .tuple(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat(valid.length), fc.uint8Array({ maxLength: 8 }))
    .map(([flips, cut, tail]) => {
      const out = new Uint8Array([...valid.subarray(0, cut), ...tail]);
      for (const [i, b] of flips) if (i < out.length) out[i] = b;
      return out;
    });
const datagrams = (valid: Uint8Array) => fc.oneof(fc.uint8Array({ maxLength: 1200 }), mutated(valid));
const dotted = (b: Uint8Array, at: number) => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;

describe("router protocol parsers under garbage", () => {
  it("NAT-PMP: never throws; an address is the answer's bytes 8–11", () => {
    fc.assert(
      fc.property(datagrams(VALID_NATPMP), (bytes) => {
        const answer = decodePublicAddressAnswer(bytes);
        if (answer?.ok) expect(answer.address).toBe(dotted(bytes, 8));
      }),
      RUNS,
    );
  });

  it("PCP: never throws; an address is the MAP answer's IPv4-mapped bytes 56–59 of our own mapping", () => {
    fc.assert(
      fc.property(datagrams(VALID_PCP), (bytes) => {
        const answer = decodePcpAnswer(bytes, { opcode: 1, map: MAP });
        if (answer?.kind === "success") {
          expect(answer.external!.address).toBe(dotted(bytes, 56));
          expect([...bytes.subarray(24, 36)]).toEqual([...NONCE]);
        }
        decodePcpAnswer(bytes, { opcode: 0 });
      }),
      RUNS,
    );
  });

  const ssdpValid = "HTTP/1.1 200 OK\r\nST: urn:schemas-upnp-org:service:WANIPConnection:1\r\nLOCATION: http://192.168.1.1:5000/rootDesc.xml\r\n\r\n";
  it("SSDP: never throws; a LOCATION is an http URL on the router", () => {
    const text = fc.oneof(fc.string({ maxLength: 600 }), fc.string({ unit: "binary", maxLength: 300 }), fc.tuple(fc.nat(ssdpValid.length), fc.string({ maxLength: 40 })).map(([i, s]) => ssdpValid.slice(0, i) + s + ssdpValid.slice(i)));
    fc.assert(
      fc.property(fc.oneof(text.map((s) => new TextEncoder().encode(s)), fc.uint8Array({ maxLength: 3000 })), (bytes) => {
        const answer = parseSsdpAnswer(bytes, ROUTER);
        if (answer) expect(new URL(answer.location)).toMatchObject({ protocol: "http:", hostname: ROUTER });
      }),
      RUNS,
    );
  });

  const splice = (valid: string) =>
    fc.oneof(
      fc.string({ maxLength: 2000 }),
      fc.tuple(fc.nat(valid.length), fc.nat(valid.length), fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("<", ">", "&", "</service>", "<service>", "<controlURL>", "]]>", "&#x0;", "<NewExternalIPAddress>", "<s:Fault>")))
        .map(([a, b, s]) => valid.slice(0, Math.min(a, b)) + s + valid.slice(Math.max(a, b))),
    );

  it("device description: never throws; a control URL is on the router", () => {
    const valid = descriptionXml("http://192.168.1.1:5000", "urn:schemas-upnp-org:service:WANIPConnection:1");
    fc.assert(
      fc.property(splice(valid), (xml) => {
        const found = findWanService(xml, "http://192.168.1.1:5000/rootDesc.xml", ROUTER);
        if (found.ok) expect(new URL(found.service.controlUrl).hostname).toBe(ROUTER);
      }),
      RUNS,
    );
  });

  it("SOAP answer: never throws; an address is text that was in the answer", () => {
    const valid = `<s:Envelope><s:Body><u:GetExternalIPAddressResponse xmlns:u="x"><NewExternalIPAddress>203.0.113.5</NewExternalIPAddress></u:GetExternalIPAddressResponse></s:Body></s:Envelope>`;
    fc.assert(
      fc.property(fc.constantFrom(200, 500, 403), splice(valid), (status, xml) => {
        const answer = parseGetExternalIpAnswer(status, xml);
        if (answer.ok) expect(xml.includes(answer.address) || xml.includes("&")).toBe(true);
      }),
      RUNS,
    );
  });
});

/** A UDP "router" that answers every datagram with the next garbage datagram of the run. */
function garbageUdp(answers: Uint8Array[]): OpenUdp {
  return async (options) => {
    const handlers: Array<(b: Uint8Array, from: { address: string; port: number }) => void> = [];
    const socket: UdpSocket = {
      local: { address: "192.168.1.20", port: 4242 },
      send: async (_bytes, to) => {
        const answer = answers.shift();
        const from = options.connect ?? to;
        if (answer) queueMicrotask(() => handlers.forEach((h) => h(answer, { address: from.address, port: from.port })));
      },
      onMessage: (h) => void handlers.push(h),
      onError: () => {},
      close: () => {},
    };
    return socket;
  };
}

describe("the router source under garbage", () => {
  it("publishes only a public IPv4 address that a router answer carried", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(datagrams(VALID_NATPMP), datagrams(VALID_ANNOUNCE), datagrams(VALID_PCP)), { maxLength: 6 }), fc.string({ maxLength: 300 }), async (answers, body) => {
        const sent = answers.map((a) => new Uint8Array(a));
        const source = createRouterSource({
          address: ROUTER,
          protocols: ["pcp", "natpmp", "igd"],
          httpFallback: false,
          allowPrivate: false,
          openUdp: garbageUdp(answers),
          fetch: (async () => new Response(body)) as unknown as typeof fetch,
          readFile: async () => "",
          randomBytes: () => new Uint8Array(NONCE),
          userAgent: "fuzz",
          log: createMemoryLogger("error"),
          ssdpGroup: null,
          timing: { initialMs: 1, budgetMs: 3 },
        });
        const d = await source.detect(4, new AbortController().signal);
        if (!d.ok) return;
        expect(checkPublishable(d.address, 4, { allowPrivate: false }).ok).toBe(true);
        const carried = sent.some((b) => (b.length >= 12 && dotted(b, 8) === d.address) || (b.length >= 60 && dotted(b, 56) === d.address));
        expect(carried || body.includes(d.address)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
