import { describe, expect, it } from "bun:test";
import { displayUrl, secretsOfUrl } from "../../src/net/display-url.ts";
import { stripQueries } from "../../src/net/transport-error.ts";

describe("URLs as ddnsd shows them", () => {
  it.each([
    { name: "no query", url: "https://api.ipify.org/", shown: "https://api.ipify.org/" },
    { name: "a key in the query", url: "https://ipinfo.io/ip?token=0123456789abcdef", shown: "https://ipinfo.io/ip?…" },
    { name: "user info and a fragment", url: "https://user:pass-word-123@ip.example.net:8443/v4#x", shown: "https://ip.example.net:8443/v4" },
    { name: "not a URL", url: "ip.example.net/v4?key=abc", shown: "ip.example.net/v4?…" },
  ])("$name", ({ url, shown }) => {
    expect(displayUrl(url)).toBe(shown);
  });

  it.each<{ name: string; url: string; secrets: string[] }>([
    { name: "query values long enough to be keys", url: "https://ip.example.net/?key=0123456789abcdef&format=json", secrets: ["0123456789abcdef"] },
    { name: "a password in the user info", url: "https://me:pass%20word-123@ip.example.net/", secrets: ["pass word-123"] },
    { name: "nothing", url: "https://api.ipify.org/", secrets: [] },
    { name: "not a URL", url: "::", secrets: [] },
  ])("secrets of a URL: $name", ({ url, secrets }) => {
    expect(secretsOfUrl(url)).toEqual(secrets);
  });

  it("strips every query from a runtime's error text", () => {
    expect(stripQueries('error sending request for url (https://www.duckdns.org/update?domains=x&token=abc): connection refused')).toBe(
      "error sending request for url (https://www.duckdns.org/update): connection refused",
    );
  });
});
