import { describe, expect, it } from "bun:test";
import { parseRecordEntries } from "../../src/config/record-list.ts";

describe("DDNS_RECORDS with per-record options", () => {
  it.each([
    { name: "plain names", raw: "example.com, www.example.com", expect: [{ name: "example.com", options: {} }, { name: "www.example.com", options: {} }] },
    { name: "the contract's example", raw: "home.example.com,nas.example.com{ipv6_suffix=::11:22ff:fe33:4455},printer.example.com{ip_versions=6,ipv6_suffix=mac(aa:bb:cc:dd:ee:ff)}", expect: [
      { name: "home.example.com", options: {} },
      { name: "nas.example.com", options: { ipv6Suffix: "::11:22ff:fe33:4455" } },
      { name: "printer.example.com", options: { ipVersions: [6], ipv6Suffix: "mac(aa:bb:cc:dd:ee:ff)" } },
    ] },
    { name: "ip_versions=4,6 keeps its comma", raw: "a.example.com{ip_versions=4,6,ttl=300}", expect: [{ name: "a.example.com", options: { ipVersions: [4, 6], ttl: 300 } }] },
    { name: "ttl, proxied and a comment with a comma", raw: "A.Example.com.{ttl=auto,proxied=yes,comment=home, managed by ddnsd}", expect: [{ name: "a.example.com", options: { ttl: "auto", proxied: true, comment: "home, managed by ddnsd" } }] },
    { name: "an exact repeat is dropped", raw: "a.example.com{ttl=60},a.example.com{ttl=60}", expect: [{ name: "a.example.com", options: { ttl: 60 } }] },
  ])("reads $name", ({ raw, expect: want }) => {
    const parsed = parseRecordEntries(raw);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.records.map(({ name, options }) => ({ name, options }))).toEqual(want as never);
  });

  it.each([
    { name: "an unknown option", raw: "a.example.com{tll=60}", reason: 'has "a.example.com{tll=60}": unknown option "tll" (known: ip_versions, ttl, proxied, comment, ipv6_suffix)' },
    { name: "a bad ttl", raw: "a.example.com{ttl=soon}", reason: 'has "a.example.com{ttl=soon}": ttl must be auto or a number of seconds (got "soon")' },
    { name: "a bad family", raw: "a.example.com{ip_versions=5}", reason: 'has "a.example.com{ip_versions=5}": ip_versions must be 4, 6 or 4,6 (got "5")' },
    { name: "unbalanced braces", raw: "a.example.com{ttl=60", reason: 'has unbalanced braces in "a.example.com{ttl=60"' },
    { name: "text after the braces", raw: "a.example.com{ttl=60}x", reason: 'has "a.example.com{ttl=60}x": options go in braces at the end of a name, name{key=value,…}' },
    { name: "a repeat with other options", raw: "a.example.com,a.example.com{ttl=60}", reason: 'lists "a.example.com" twice with different options' },
    { name: "an option set twice", raw: "a.example.com{ttl=60,ttl=70}", reason: 'has "a.example.com{ttl=60,ttl=70}": ttl is set twice' },
    { name: "a bad name inside", raw: "a.example.com,bad name{ttl=1}", reason: 'has "bad name", which is not a valid domain name' },
  ])("refuses $name with one reason naming the record", ({ raw, reason }) => {
    expect(parseRecordEntries(raw)).toEqual({ ok: false, reason });
  });
});
