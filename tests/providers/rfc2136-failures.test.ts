import { describe, expect, it } from "bun:test";
import type { DecodedPacket } from "dns-packet";
import { DnsExchangeError, type SignedAnswer } from "../../src/dns/client.ts";
import type { TsigCheck } from "../../src/dns/tsig.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { exchangeFailure, updateFailure, type Context } from "../../src/providers/rfc2136/rfc2136-failures.ts";
import { readRfc2136Settings } from "../../src/providers/rfc2136/rfc2136-settings.ts";

const ctx: Context = { server: "192.0.2.53:53", key: { name: "ddns-key", algorithm: "hmac-sha256", secret: new Uint8Array([1]) } };
const verified: TsigCheck = { status: "verified", error: 0 };
const answer = (rcode: number, tsig: TsigCheck = verified): SignedAnswer => ({
  packet: {} as DecodedPacket, rcode, raw: new Uint8Array(), tsig,
});
const what = "update";
const S = '"192.0.2.53:53"';

// Messages are the reason only: the engine names the record, says "could not confirm" for `unconfirmed` and when it
// tries again; so no message names the record or promises a retry.
describe("rfc2136 maps update answers to operator results", () => {
  it.each([
    { name: "NOERROR, verified", a: answer(0), expected: undefined },
    { name: "NOTAUTH", a: answer(9), expected: { kind: "auth", message: `DNS server ${S} answered NOTAUTH to the update: it did not accept key "ddns-key" or is not authoritative for zone "example.com"; check the key name, secret and algorithm, and DDNS_RFC2136_SERVER` } },
    { name: "REFUSED", a: answer(5), expected: { kind: "auth", message: `DNS server ${S} refused the update (REFUSED): the server's update policy does not allow key "ddns-key" to change this name; grant it on the server (BIND update-policy, Knot acl with action update)` } },
    { name: "NOTZONE", a: answer(10), expected: { kind: "config", message: `the update is outside zone "example.com" on DNS server ${S} (NOTZONE); check DDNS_RFC2136_ZONE` } },
    { name: "SERVFAIL", a: answer(2), expected: { kind: "transient", message: `DNS server ${S} did not apply the update (SERVFAIL)` } },
    { name: "NOTIMP", a: answer(4), expected: { kind: "config", message: `DNS server ${S} does not accept DNS UPDATE (NOTIMP); point DDNS_RFC2136_SERVER at the zone's primary server` } },
    { name: "FORMERR", a: answer(1), expected: { kind: "config", message: `DNS server ${S} could not parse the update (FORMERR); the server may not support this TSIG algorithm (hmac-sha256)` } },
    { name: "BADSIG (unsigned error)", a: answer(9, { status: "tsig-error", error: 16 }), expected: { kind: "auth", message: `DNS server ${S} rejected the TSIG signature of key "ddns-key" (BADSIG): check the key name, the secret (DDNS_PROVIDER_API_TOKEN) and DDNS_RFC2136_TSIG_ALGORITHM` } },
    { name: "BADKEY (unsigned error)", a: answer(9, { status: "tsig-error", error: 17 }), expected: { kind: "auth", message: `DNS server ${S} did not accept TSIG key "ddns-key" with algorithm hmac-sha256 for this change (BADKEY): check DDNS_RFC2136_TSIG_KEY_NAME and DDNS_RFC2136_TSIG_ALGORITHM against the server's key, and that its acl or update policy lets this key change this name (Knot answers BADKEY to an update its acl denies)` } },
    { name: "BADTIME (signed)", a: answer(9, { status: "verified", error: 18 }), expected: { kind: "auth", message: `DNS server ${S} rejected the signature time (BADTIME): this host's clock and the server's differ by more than 5 minutes; fix the clock (NTP)` } },
    { name: "NOERROR but unsigned", a: answer(0, { status: "unsigned" }), expected: { kind: "transient", unconfirmed: true, message: `the answer from ${S} to the update (NOERROR) was not signed with key "ddns-key"` } },
    { name: "NOERROR but forged", a: answer(0, { status: "invalid", reason: "MAC does not verify" }), expected: { kind: "transient", unconfirmed: true, message: `the TSIG signature of the answer from ${S} to the update did not verify (MAC does not verify)` } },
  ])("$name", ({ a, expected }) => {
    const failure = updateFailure(a, what, "example.com", ctx);
    if (expected === undefined) return expect(failure).toBeUndefined();
    expect(failure).toEqual({ ok: false, ...expected });
  });

  it.each([
    { name: "timeout after the update was sent", error: new DnsExchangeError("timeout", "UDP: no answer"), sent: true,
      expected: { kind: "transient", unconfirmed: true, message: `DNS server ${S} did not answer the update in time; the change may or may not have been applied` } },
    { name: "timeout of a read", error: new DnsExchangeError("timeout", "UDP: no answer"), sent: false,
      expected: { kind: "transient", message: `DNS server ${S} did not answer the update in time; check DDNS_RFC2136_SERVER and that the server is running` } },
    { name: "connection refused", error: new DnsExchangeError("network", "ECONNREFUSED"), sent: true,
      expected: { kind: "transient", message: `could not reach DNS server ${S} for the update (ECONNREFUSED); check DDNS_RFC2136_SERVER and that the server is running` } },
  ])("exchange failure: $name", ({ error, sent, expected }) => {
    expect(exchangeFailure(error, what, ctx, sent)).toEqual({ ok: false, ...expected });
  });
});

describe("rfc2136 settings", () => {
  const base = { type: "rfc2136" as const, token: "c2VjcmV0" };
  const rfc = { server: "127.0.0.1:5353", keyName: "ddns-key.", algorithm: "hmac-sha256" };
  it.each([
    { name: "a server that is not host:port", provider: { ...base, rfc2136: { ...rfc, server: "127.0.0.1:99999" } }, variable: "DDNS_RFC2136_SERVER" },
    { name: "an unknown algorithm", provider: { ...base, rfc2136: { ...rfc, algorithm: "hmac-md5" } }, variable: "DDNS_RFC2136_TSIG_ALGORITHM" },
    { name: "a secret that is not base64", provider: { ...base, token: "not base64!", rfc2136: rfc }, variable: "DDNS_PROVIDER_API_TOKEN" },
    { name: "no rfc2136 settings", provider: base, variable: "DDNS_RFC2136_SERVER" },
  ])("rejects $name, naming the variable", ({ provider, variable }) => {
    let thrown: unknown;
    try {
      readRfc2136Settings(provider);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe(variable);
    expect((thrown as ConfigError).message).not.toContain("c2VjcmV0");
  });

  it.each([
    { name: "IPv4 with port", server: "127.0.0.1:5353", expected: { host: "127.0.0.1", port: 5353 } },
    { name: "bracketed IPv6", server: "[::1]:53", expected: { host: "::1", port: 53 } },
    { name: "host name without port", server: "ns1.example.com", expected: { host: "ns1.example.com", port: 53 } },
  ])("reads the server: $name", ({ server, expected }) => {
    const settings = readRfc2136Settings({ ...base, rfc2136: { ...rfc, server, zone: "Example.COM." } });
    expect(settings.server).toEqual(expected);
    expect(settings.zone).toBe("example.com");
    expect(settings.key.name).toBe("ddns-key");
  });
});
