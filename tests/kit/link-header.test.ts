import { describe, expect, it } from "bun:test";
import { linkTargets, nextLink } from "../../src/providers/kit/link-header.ts";

/** Link-header pages: the `next` target, resolved against the page that named it, followed only on the API's origin. */
const BASE = "https://api.nsone.net/v1";
const CURRENT = "https://api.nsone.net/v1/zones";
const headers = (link?: string) => new Headers(link === undefined ? {} : { Link: link });

describe("nextLink", () => {
  it.each([
    { name: "no Link header: the last page", link: undefined, want: null },
    { name: "only a prev link: the last page", link: `<https://api.nsone.net/v1/zones?page=1>; rel="prev"`, want: null },
    { name: "an absolute next link", link: `<https://api.nsone.net/v1/zones?page=2>; rel="next"`, want: "https://api.nsone.net/v1/zones?page=2" },
    { name: "next among other relations", link: `<https://api.nsone.net/v1/zones?page=1>; rel="first", <https://api.nsone.net/v1/zones?page=3>; rel="next", <https://api.nsone.net/v1/zones?page=9>; rel="last"`, want: "https://api.nsone.net/v1/zones?page=3" },
    { name: "a relative next link, resolved against the current page", link: `</v1/zones?after=b.example>; rel=next`, want: "https://api.nsone.net/v1/zones?after=b.example" },
    { name: "a rel with several relations", link: `<https://api.nsone.net/v1/zones?page=2>; title="more"; rel="next last"`, want: "https://api.nsone.net/v1/zones?page=2" },
    { name: "an http link on the API's host over HTTPS is read as https (ns1-go forceHTTPS)", link: `<http://api.nsone.net/v1/zones?page=2>; rel="next"`, want: "https://api.nsone.net/v1/zones?page=2" },
  ])("$name", ({ link, want }) => {
    expect(nextLink(headers(link), { service: "NS1", baseUrl: BASE, current: CURRENT })).toEqual({ ok: true, value: want });
  });

  it.each([
    { name: "another host", link: `<https://evil.example/v1/zones?page=2&key=x>; rel="next"`, shown: "https://evil.example/v1/zones?…" },
    { name: "another port", link: `<https://api.nsone.net:8443/v1/zones>; rel="next"`, shown: "https://api.nsone.net:8443/v1/zones" },
  ])("refuses a next page on $name (credentials never leave the API's origin)", ({ link, shown }) => {
    expect(nextLink(headers(link), { service: "NS1", baseUrl: BASE, current: CURRENT })).toEqual({
      ok: false,
      problem: { kind: "config", reason: `NS1 named its next page on another origin (${JSON.stringify(shown)}); ddnsd does not send credentials to another origin: set DDNS_PROVIDER_API_URL to the address the service answers on` },
    });
  });

  it("does not upgrade an http link when the API itself is plain http", () => {
    expect(nextLink(headers(`<http://127.0.0.1:8080/v1/zones?page=2>; rel="next"`), { service: "NS1", baseUrl: "http://127.0.0.1:8080/v1", current: "http://127.0.0.1:8080/v1/zones" })).toEqual({ ok: true, value: "http://127.0.0.1:8080/v1/zones?page=2" });
  });

  it("lists every target of a relation, in order", () => {
    expect(linkTargets(`<a>; rel="next", <b>; rel="prev", <c>; rel="next"`, "next")).toEqual(["a", "c"]);
  });
});
