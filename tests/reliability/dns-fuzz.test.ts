import { describe, expect, it } from "bun:test";
import { Buffer } from "node:buffer";
import * as dnsPacket from "dns-packet";
import fc from "fast-check";
import { decodeSecret, verifyResponse } from "../../src/dns/tsig.ts";
import type { DnsTransport } from "../../src/dns/transport.ts";
import { layoutOf, matchesQuery, readName, readU16 } from "../../src/dns/wire.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import type { RecordRequest } from "../../src/providers/kit/types.ts";
import { hex, TSIG_VECTORS } from "../dns/tsig-vectors.ts";
import { buildProvider } from "../providers/build-provider.ts";
import { applyMutation, FUZZ, messageProblems, mutated, mutation, timed, within, type Mutation } from "./fuzz-kit.ts";

/**
 * The RFC 2136 provider's DNS message handling under attack: the wire helpers and the TSIG verifier get mutated
 * real answers (named's, from tests/dns/tsig-vectors.ts) and random bytes; the provider itself talks to a transport
 * that answers every query and UPDATE with a plausible answer broken at random, or with noise, or fails. Helpers may
 * throw an Error for bad input but must end quickly; the verifier and the provider never throw, and every provider
 * result is a one-line message without the TSIG secret.
 */

const DNS_RUNS = FUZZ.dnsRuns;
const PROVIDER_RUNS = FUZZ.providerRuns;
const SEED = FUZZ.seed(5353);
/** The request's id, MAC and signing time, read from its TSIG record (what verifyResponse needs). */
function signedPart(request: Uint8Array) {
  const start = layoutOf(request).additionals.at(-1)!;
  const rdata = readName(request, readName(request, start).next + 10).next;
  const macSize = readU16(request, rdata + 8);
  const time = readU16(request, rdata) * 2 ** 32 + new DataView(request.buffer).getUint32(rdata + 2);
  return { signed: { id: readU16(request, 0), mac: request.slice(rdata + 10, rdata + 10 + macSize) }, time: time + 5 };
}
const vectors = TSIG_VECTORS.map((v) => {
  const request = hex(v.request);
  return { request, response: hex(v.response), key: { name: v.keyName, algorithm: v.algorithm, secret: decodeSecret(v.secret)! }, ...signedPart(request) };
});
/**
 * True when `broken` differs from `original` only where the MAC does not reach (RFC 8945 §4.3): the message id
 * (the original id is in the TSIG record), the TSIG record's own CLASS, TTL (digested as ANY and 0) and RDLENGTH,
 * the letter case of its owner and algorithm names (digested in canonical form), and bytes after the last record.
 */
function outsideMac(original: Uint8Array, broken: Uint8Array): boolean {
  if (broken.length < original.length) return false;
  const start = layoutOf(original).additionals.at(-1)!;
  const ownerEnd = readName(original, start).next;
  const algorithmEnd = readName(original, ownerEnd + 10).next;
  const inNames = (i: number) => (i >= start && i < ownerEnd) || (i >= ownerEnd + 10 && i < algorithmEnd);
  const caseOnly = (a: number, b: number) => (a ^ b) === 0x20 && /[a-z]/i.test(String.fromCharCode(a));
  const free = (i: number) => i < 2 || (i >= ownerEnd + 2 && i < ownerEnd + 10) || (inNames(i) && caseOnly(original[i]!, broken[i]!));
  return original.every((byte, i) => byte === broken[i] || free(i));
}
const realAnswer = fc.constantFrom(...vectors.map((x) => x.response));
const wireInput = fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated(realAnswer, false, 5));
const isError = (fn: () => unknown) => {
  try {
    fn();
    return false;
  } catch (error) {
    if (!(error instanceof Error)) throw new Error(`threw a non-Error: ${String(error)}`);
    return true;
  }
};

describe("DNS wire helpers and the TSIG verifier under attack", () => {
  it(`${DNS_RUNS} broken answers: layoutOf and readName end quickly (a value or an Error), matchesQuery says yes or no`, () => {
    fc.assert(
      fc.property(wireInput, fc.nat(300), (bytes, offset) => {
        timed(2000, "layoutOf", () => isError(() => layoutOf(bytes)));
        timed(2000, "readName", () => isError(() => readName(bytes, offset)));
        expect(typeof timed(2000, "matchesQuery", () => matchesQuery(vectors[0]!.request, bytes))).toBe("boolean");
      }),
      { seed: SEED, numRuns: DNS_RUNS },
    );
  });

  it("a compression pointer loop is an error, not a hang", () => {
    const loop = Uint8Array.from([0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c, 0, 1, 0, 1]);
    expect(isError(() => timed(2000, "readName", () => readName(loop, 12)))).toBe(true);
    expect(isError(() => timed(2000, "dns-packet", () => dnsPacket.decode(Buffer.from(loop))))).toBe(true);
  });

  it(`${DNS_RUNS} mutated signed answers: verifyResponse never throws and verifies none the MAC covers a change in`, async () => {
    expect(await Promise.all(vectors.map((x) => verifyResponse(x.response, x.key, x.signed, x.time)))).toEqual(vectors.map(() => ({ status: "verified", error: 0 })));
    await fc.assert(
      fc.asyncProperty(fc.nat(vectors.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (i, ms) => {
        const x = vectors[i]!;
        const broken = ms.reduce((b, m) => applyMutation(b, m), x.response);
        const check = await within(200, "verifyResponse", verifyResponse(broken, x.key, x.signed, x.time));
        expect(["verified", "unsigned", "tsig-error", "invalid"]).toContain(check.status);
        if (check.status === "verified") expect(outsideMac(x.response, broken)).toBe(true);
      }),
      { seed: SEED + 1, numRuns: DNS_RUNS },
    );
  });
});

const SECRET = "ZnV6ei10c2lnLXNlY3JldC1mb3ItZGRuc2QtcmVs"; // base64, never to be printed
type Reply = { kind: "plausible"; mutations: Mutation[] } | { kind: "noise"; bytes: Uint8Array } | { kind: "fail"; error: string };

/** Answers like a zone's primary would, for the query in `message`: SOA apex, the current A/AAAA, UPDATE → NOERROR. */
function plausibleAnswer(message: Uint8Array): Uint8Array {
  const id = readU16(message, 0);
  const opcode = (message[2]! >> 3) & 0x0f;
  const { name, next } = readName(message, 12);
  const type = ({ 1: "A", 28: "AAAA", 6: "SOA" } as const)[readU16(message, next) as 1 | 28 | 6] ?? "SOA";
  const answers: dnsPacket.Answer[] = [];
  if (opcode === 0 && type === "SOA") answers.push({ name: "example.com", type: "SOA", ttl: 60, data: { mname: "ns.example.com", rname: "h.example.com", serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 1 } });
  if (opcode === 0 && type === "A") answers.push({ name, type: "A", ttl: 60, data: "203.0.113.1" });
  if (opcode === 0 && type === "AAAA") answers.push({ name, type: "AAAA", ttl: 60, data: "2001:db8::1" });
  return new Uint8Array(dnsPacket.encode({ id, type: "response", flags: (opcode << 11) | 0x8000, questions: [{ name, type, class: "IN" }], answers }));
}

function fuzzTransport(replies: Reply[]): DnsTransport {
  let n = 0;
  return {
    async exchange(_server, message) {
      const reply = replies[n++ % replies.length]!;
      if (reply.kind === "fail") throw new Error(reply.error);
      if (reply.kind === "noise") return reply.bytes;
      // The id stays (so the answer is "for" this query), everything after it is broken.
      const answer = plausibleAnswer(message);
      return Uint8Array.from([...answer.subarray(0, 2), ...reply.mutations.reduce((b, m) => applyMutation(b, m), answer.subarray(2))]);
    },
  };
}

const reply: fc.Arbitrary<Reply> = fc.oneof(
  fc.record({ kind: fc.constant("plausible" as const), mutations: fc.array(mutation, { maxLength: 4 }) }),
  fc.record({ kind: fc.constant("noise" as const), bytes: fc.oneof(fc.uint8Array({ maxLength: 64 }), mutated(realAnswer, false, 3)) }),
  fc.record({ kind: fc.constant("fail" as const), error: fc.string({ maxLength: 20 }) }),
);
const requestList = fc.array(fc.tuple(fc.constantFrom("home", "www", "a.b"), fc.constantFrom("A" as const, "AAAA" as const)), { minLength: 1, maxLength: 3 })
  .map((xs): RecordRequest[] => xs.map(([label, type]) => ({ name: `${label}.example.com`, type, content: type === "A" ? "203.0.113.9" : "2001:db8::9" })));

describe("the RFC 2136 provider against a transport that answers garbage", () => {
  it(`${PROVIDER_RUNS} conversations: setRecords resolves with one result per record, one-line messages, no secret`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(reply, { minLength: 1, maxLength: 8 }), requestList, fc.option(fc.constant("example.com"), { nil: undefined }), async (replies, requests, zone) => {
        const variables = { DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_RFC2136_SERVER: "127.0.0.1:5353", DDNS_RFC2136_TSIG_KEY_NAME: "ddns-key", DDNS_RFC2136_ZONE: zone };
        const provider = buildProvider("rfc2136", variables, { log: createMemoryLogger(), dnsTransport: fuzzTransport(replies), timeoutMs: 100 });
        const results = await within(2000, "setRecords", provider.setRecords(requests, { signal: AbortSignal.timeout(5000), dryRun: false }));
        expect(results).toHaveLength(requests.length);
        for (const r of results) {
          // No answer here carries a valid TSIG, so no change may be reported as made.
          if (r.ok) expect(r.outcome).toBe("unchanged");
          // A message may quote a name from the answer: at most 255 octets, at most 6 characters each once escaped.
          else expect(messageProblems(r.message, [SECRET], 2000)).toEqual([]);
        }
      }),
      { seed: SEED + 2, numRuns: PROVIDER_RUNS },
    );
  });
});
