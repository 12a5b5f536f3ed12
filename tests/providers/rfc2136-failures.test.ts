import { describe, expect, it } from "bun:test";
import type { DecodedPacket } from "dns-packet";
import { DnsExchangeError, type SignedAnswer } from "../../src/dns/client.ts";
import type { TsigCheck } from "../../src/dns/tsig.ts";
import { exchangeProblem, updateProblem, type Context } from "../../src/providers/rfc2136/rfc2136-failures.ts";
import { connectionOf } from "../../src/providers/rfc2136/rfc2136-settings.ts";
import { rfc2136 } from "../../src/providers/rfc2136/descriptor.ts";

const ctx: Context = { server: "192.0.2.53:53", key: { name: "ddns-key", algorithm: "hmac-sha256", secret: new Uint8Array([1]) } };
const verified: TsigCheck = { status: "verified", error: 0 };
const answer = (rcode: number, tsig: TsigCheck = verified): SignedAnswer => ({
  packet: {} as DecodedPacket, rcode, raw: new Uint8Array(), tsig,
});
const what = "update";
const S = '"192.0.2.53:53"';

// Reasons only: the engine names the record, says "could not confirm" for `mayHaveArrived` and when it tries again;
// so no reason names the record or promises a retry.
describe("rfc2136 maps update answers to operator results", () => {
  it.each([
    { name: "NOERROR, verified", a: answer(0), expected: undefined },
    { name: "NOTAUTH", a: answer(9), expected: { kind: "auth", reason: `DNS server ${S} answered NOTAUTH to the update: it did not accept key "ddns-key" or is not authoritative for zone "example.com"; check the key name, secret and algorithm, and DDNS_RFC2136_SERVER` } },
    { name: "REFUSED", a: answer(5), expected: { kind: "auth", reason: `DNS server ${S} refused the update (REFUSED): the server's update policy does not allow key "ddns-key" to change this name; grant it on the server (BIND update-policy, Knot acl with action update)` } },
    { name: "NOTZONE (the zone is found again)", a: answer(10), expected: { kind: "config", tag: "stale-zone", reason: `the update is outside zone "example.com" on DNS server ${S} (NOTZONE); check DDNS_RFC2136_ZONE` } },
    { name: "SERVFAIL", a: answer(2), expected: { kind: "transient", reason: `DNS server ${S} did not apply the update (SERVFAIL)` } },
    { name: "NOTIMP", a: answer(4), expected: { kind: "config", reason: `DNS server ${S} does not accept DNS UPDATE (NOTIMP); point DDNS_RFC2136_SERVER at the zone's primary server` } },
    { name: "FORMERR", a: answer(1), expected: { kind: "config", reason: `DNS server ${S} could not parse the update (FORMERR); the server may not support this TSIG algorithm (hmac-sha256)` } },
    { name: "BADSIG (unsigned error)", a: answer(9, { status: "tsig-error", error: 16 }), expected: { kind: "auth", reason: `DNS server ${S} rejected the TSIG signature of key "ddns-key" (BADSIG): check the key name, the secret (DDNS_PROVIDER_API_TOKEN) and DDNS_RFC2136_TSIG_ALGORITHM` } },
    { name: "BADKEY (unsigned error)", a: answer(9, { status: "tsig-error", error: 17 }), expected: { kind: "auth", reason: `DNS server ${S} did not accept TSIG key "ddns-key" with algorithm hmac-sha256 for this change (BADKEY): check DDNS_RFC2136_TSIG_KEY_NAME and DDNS_RFC2136_TSIG_ALGORITHM against the server's key, and that its acl or update policy lets this key change this name (Knot answers BADKEY to an update its acl denies)` } },
    { name: "BADTIME (signed)", a: answer(9, { status: "verified", error: 18 }), expected: { kind: "auth", reason: `DNS server ${S} rejected the signature time (BADTIME): this host's clock and the server's differ by more than 5 minutes; fix the clock (NTP)` } },
    { name: "NOERROR but unsigned", a: answer(0, { status: "unsigned" }), expected: { kind: "transient", mayHaveArrived: true, reason: `the answer from ${S} to the update (NOERROR) was not signed with key "ddns-key"` } },
    { name: "NOERROR but forged", a: answer(0, { status: "invalid", reason: "MAC does not verify" }), expected: { kind: "transient", mayHaveArrived: true, reason: `the TSIG signature of the answer from ${S} to the update did not verify (MAC does not verify)` } },
  ])("$name", ({ a, expected }) => {
    const problem = updateProblem(a, what, "example.com", ctx);
    if (expected === undefined) return expect(problem).toBeUndefined();
    expect(problem).toEqual(expected);
  });

  it("NOTZONE with DDNS_RFC2136_ZONE set: the operator's to fix, not a zone to find again", () => {
    expect(updateProblem(answer(10), what, "example.com", { ...ctx, fixedZone: true })).toEqual({
      kind: "config", reason: `the update is outside zone "example.com" on DNS server ${S} (NOTZONE); check DDNS_RFC2136_ZONE`,
    });
  });

  it.each([
    { name: "timeout after the update was sent", error: new DnsExchangeError("timeout", "UDP: no answer"), sent: true,
      expected: { kind: "transient", mayHaveArrived: true, reason: `DNS server ${S} did not answer the update in time; the change may or may not have been applied` } },
    { name: "timeout of a read", error: new DnsExchangeError("timeout", "UDP: no answer"), sent: false,
      expected: { kind: "transient", reason: `DNS server ${S} did not answer the update in time; check DDNS_RFC2136_SERVER and that the server is running` } },
    { name: "connection refused", error: new DnsExchangeError("network", "ECONNREFUSED"), sent: true,
      expected: { kind: "transient", reason: `could not reach DNS server ${S} for the update (ECONNREFUSED); check DDNS_RFC2136_SERVER and that the server is running` } },
  ])("exchange failure: $name", ({ error, sent, expected }) => {
    expect(exchangeProblem(error, what, ctx, sent)).toEqual(expected);
  });
});

describe("rfc2136 settings", () => {
  // The descriptor checks every value once (the TSIG algorithms come from src/dns/tsig.ts); the provider only converts.
  const base = { DDNS_PROVIDER_API_TOKEN: "c2VjcmV0", DDNS_RFC2136_SERVER: "127.0.0.1:5353", DDNS_RFC2136_TSIG_KEY_NAME: "ddns-key.", DDNS_RFC2136_TSIG_ALGORITHM: "hmac-sha256" };
  it.each([
    { name: "a server that is not host:port", over: { DDNS_RFC2136_SERVER: "127.0.0.1:99999" }, variable: "DDNS_RFC2136_SERVER" },
    { name: "an unknown algorithm", over: { DDNS_RFC2136_TSIG_ALGORITHM: "hmac-md5" }, variable: "DDNS_RFC2136_TSIG_ALGORITHM" },
    { name: "a secret that is not base64", over: { DDNS_PROVIDER_API_TOKEN: "not-base64!" }, variable: "DDNS_PROVIDER_API_TOKEN" },
    { name: "no server", over: { DDNS_RFC2136_SERVER: undefined }, variable: "DDNS_RFC2136_SERVER" },
  ])("rejects $name, naming the variable", ({ over, variable }) => {
    const parsed = rfc2136.parse({ ...base, ...over });
    expect(parsed).toMatchObject({ ok: false, issue: { variable } });
    expect(JSON.stringify(parsed)).not.toContain("c2VjcmV0");
  });

  it.each([
    { name: "plain", text: "hmac-sha256", expected: "hmac-sha256" },
    { name: "upper case", text: "HMAC-SHA512", expected: "hmac-sha512" },
    { name: "SHA-224 (through node:crypto)", text: "hmac-sha224", expected: "hmac-sha224" },
  ])("reads the algorithm: $name", ({ text, expected }) => {
    expect(rfc2136.parse({ ...base, DDNS_RFC2136_TSIG_ALGORITHM: text })).toMatchObject({ ok: true, settings: { algorithm: expected } });
  });

  it("names every algorithm on offer when one is not (MD5 is deprecated by RFC 8945)", () => {
    expect(rfc2136.parse({ ...base, DDNS_RFC2136_TSIG_ALGORITHM: "hmac-md5" })).toEqual({
      ok: false, issue: { variable: "DDNS_RFC2136_TSIG_ALGORITHM", reason: 'must be one of hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384, hmac-sha512 (got "hmac-md5")' },
    });
  });

  it.each([
    { name: "IPv4 with port", server: "127.0.0.1:5353", expected: { host: "127.0.0.1", port: 5353 } },
    { name: "bracketed IPv6", server: "[::1]:53", expected: { host: "::1", port: 53 } },
    { name: "host name without port", server: "ns1.example.com", expected: { host: "ns1.example.com", port: 53 } },
  ])("reads the server: $name", ({ server, expected }) => {
    const parsed = rfc2136.parse({ ...base, DDNS_RFC2136_SERVER: server, DDNS_RFC2136_ZONE: "Example.COM." });
    if (!parsed.ok) throw new Error(parsed.issue.reason);
    const connection = connectionOf(parsed.settings);
    expect(connection.server).toEqual(expected);
    expect(parsed.settings.zone).toBe("example.com");
    expect(connection.key).toEqual({ name: "ddns-key", algorithm: "hmac-sha256", secret: new TextEncoder().encode("secret") });
  });
});
