import { describe, expect, it } from "bun:test";
import { parseIpAnswer } from "../../src/ip/http/parse-answer.ts";

const TRACE = "fl=123\nh=1.1.1.1\nip=203.0.113.9\nts=1700000000.1\nvisit_scheme=https\nuag=ddnsd\n";

describe("parsing an IP endpoint's answer", () => {
  it.each([
    { name: "bare address", body: "203.0.113.9", family: 4, expected: { ok: true, address: "203.0.113.9" } },
    { name: "bare address with newline", body: "203.0.113.9\n", family: 4, expected: { ok: true, address: "203.0.113.9" } },
    { name: "trace format", body: TRACE, family: 4, expected: { ok: true, address: "203.0.113.9" } },
    { name: "trace v6", body: "h=x\nip=2001:db8::9\n", family: 6, expected: { ok: true, address: "2001:db8::9" } },
    { name: "empty", body: "  \n", family: 4, expected: { ok: false, reason: "the answer was empty" } },
    { name: "html", body: "<html><body>blocked</body></html>", family: 4, expected: { ok: false, reason: '"<html><body>blocked</body></html>" is not an IP address' } },
    { name: "two addresses", body: "203.0.113.9 203.0.113.10", family: 4, expected: { ok: false, reason: 'the answer is not a single address: "203.0.113.9 203.0.113.10"' } },
    { name: "trace with two ip lines", body: "ip=203.0.113.9\nip=203.0.113.10\n", family: 4, expected: { ok: false, reason: 'the trace answer has 2 "ip=" lines, expected exactly one' } },
    { name: "wrong family", body: "2001:db8::1", family: 4, expected: { ok: false, reason: '"2001:db8::1" is an IPv6 address, not IPv4' } },
    { name: "private", body: "192.168.0.10", family: 4, expected: { ok: false, reason: '"192.168.0.10" is a private (RFC 1918) address, which cannot be published' } },
  ] as const)("$name", ({ body, family, expected }) => {
    expect(parseIpAnswer(body, family, { allowPrivate: false })).toEqual(expected as never);
  });
});
