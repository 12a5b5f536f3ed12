import { describe, expect, it } from "bun:test";
import type { DecodedPacket } from "dns-packet";
import { DnsExchangeError, type SignedAnswer } from "../../src/dns/client.ts";
import type { TsigCheck } from "../../src/dns/tsig.ts";
import { ConfigError } from "../../src/errors.ts";
import { exchangeFailure, updateFailure, type Context } from "../../src/providers/rfc2136/rfc2136-failures.ts";
import { readRfc2136Settings } from "../../src/providers/rfc2136/rfc2136-settings.ts";

const ctx: Context = { server: "192.0.2.53:53", key: { name: "ddns-key", algorithm: "hmac-sha256", secret: new Uint8Array([1]) } };
const verified: TsigCheck = { status: "verified", error: 0 };
const answer = (rcode: number, tsig: TsigCheck = verified): SignedAnswer => ({
  packet: {} as DecodedPacket, rcode, raw: new Uint8Array(), tsig,
});
const what = 'update of "h.example.com" A';

describe("rfc2136 maps update answers to operator results", () => {
  it.each([
    { name: "NOERROR, verified", a: answer(0), expected: undefined, says: "" },
    { name: "NOTAUTH", a: answer(9), expected: { kind: "auth" }, says: "check the key name, secret and algorithm" },
    { name: "REFUSED", a: answer(5), expected: { kind: "auth" }, says: "update policy does not allow key \"ddns-key\"" },
    { name: "NOTZONE", a: answer(10), expected: { kind: "config" }, says: "DDNS_RFC2136_ZONE" },
    { name: "SERVFAIL", a: answer(2), expected: { kind: "transient" }, says: "SERVFAIL" },
    { name: "NOTIMP", a: answer(4), expected: { kind: "config" }, says: "NOTIMP" },
    { name: "FORMERR", a: answer(1), expected: { kind: "config" }, says: "FORMERR" },
    { name: "BADSIG (unsigned error)", a: answer(9, { status: "tsig-error", error: 16 }), expected: { kind: "auth" }, says: "BADSIG" },
    { name: "BADKEY (unsigned error)", a: answer(9, { status: "tsig-error", error: 17 }), expected: { kind: "auth" }, says: "DDNS_RFC2136_TSIG_KEY_NAME" },
    { name: "BADTIME (signed)", a: answer(9, { status: "verified", error: 18 }), expected: { kind: "auth" }, says: "clock" },
    { name: "NOERROR but unsigned", a: answer(0, { status: "unsigned" }), expected: { kind: "transient", unconfirmed: true }, says: "could not confirm" },
    { name: "NOERROR but forged", a: answer(0, { status: "invalid", reason: "MAC does not verify" }), expected: { kind: "transient", unconfirmed: true }, says: "MAC does not verify" },
  ])("$name", ({ a, expected, says }) => {
    const failure = updateFailure(a, what, "example.com", ctx);
    if (expected === undefined) return expect(failure).toBeUndefined();
    expect(failure).toMatchObject({ ok: false, ...expected });
    expect(failure?.message).toContain(says);
  });

  it.each([
    { name: "timeout after the update was sent", error: new DnsExchangeError("timeout", "UDP: no answer"), sent: true, unconfirmed: true },
    { name: "timeout of a read", error: new DnsExchangeError("timeout", "UDP: no answer"), sent: false, unconfirmed: undefined },
    { name: "connection refused", error: new DnsExchangeError("network", "ECONNREFUSED"), sent: true, unconfirmed: undefined },
  ])("exchange failure: $name", ({ error, sent, unconfirmed }) => {
    const failure = exchangeFailure(error, what, ctx, sent);
    expect(failure.kind).toBe("transient");
    expect(failure.unconfirmed).toBe(unconfirmed as never);
    if (unconfirmed) expect(failure.message).toStartWith(`could not confirm the ${what}`);
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
