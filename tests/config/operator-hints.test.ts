import { ALL_PROVIDERS } from "../../src/providers/registry.ts";
import { describe, expect, it } from "bun:test";
import { configErrorLines } from "../../src/config/known-variables.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { isLoopbackHost } from "../../src/config/plain-http.ts";
import { ConfigError } from "../../src/core/errors.ts";

/** Warnings `check` and start-up give for settings that work but are probably not what the operator meant. */
const TOKEN = "hint-test-token-7c1";
const BASE = { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_RECORDS: "home.example.com" };
const load = (env: Record<string, string | undefined>, readFile = (): string => "") => loadConfig({ providers: ALL_PROVIDERS, env: { ...BASE, ...env }, readFile });

describe("plain http:// provider URLs", () => {
  it.each([
    { name: "a LAN address", url: "http://192.168.1.10:8081", host: "192.168.1.10:8081" },
    { name: "a host name", url: "http://pdns.example.net/api", host: "pdns.example.net" },
    { name: "an IPv6 address", url: "http://[2001:db8::53]:8081", host: "[2001:db8::53]:8081" },
    { name: "a name that only starts like localhost", url: "http://localhost.example.com", host: "localhost.example.com" },
  ])("warn for $name: the secret crosses the network in clear", ({ url, host }) => {
    const { warnings } = load({ DDNS_PROVIDER_TYPE: "powerdns", DDNS_PROVIDER_API_URL: url });
    expect(warnings).toEqual([
      `DDNS_PROVIDER_API_URL uses plain http:// to ${JSON.stringify(host)}: the provider secret crosses the network unencrypted; use https:// (or a loopback address for a server on this machine).`,
    ]);
  });

  it.each([
    { name: "127.0.0.1", url: "http://127.0.0.1:8081" },
    { name: "elsewhere in 127.0.0.0/8", url: "http://127.3.4.5:8081" },
    { name: "::1", url: "http://[::1]:8081" },
    { name: "localhost", url: "http://localhost:8081" },
    { name: "LOCALHOST with a trailing dot", url: "http://LOCALHOST.:8081" },
    { name: "https anywhere", url: "https://pdns.example.net" },
  ])("stay quiet for $name", ({ url }) => {
    expect(load({ DDNS_PROVIDER_TYPE: "powerdns", DDNS_PROVIDER_API_URL: url }).warnings).toEqual([]);
  });

  it("classifies loopback hosts as the URL parser hands them over", () => {
    expect([isLoopbackHost("[::1]"), isLoopbackHost("127.255.255.254"), isLoopbackHost("128.0.0.1"), isLoopbackHost("[::ffff:127.0.0.1]")]).toEqual([true, true, false, false]);
  });
});

describe("secrets pasted with their quotes", () => {
  it.each([
    { name: "double quotes in the value", env: { DDNS_PROVIDER_API_TOKEN: `"${TOKEN}"` }, line: "DDNS_PROVIDER_API_TOKEN: the value begins and ends with a double quote, which becomes part of the secret; remove the quotes unless they really belong to it." },
    { name: "single quotes in the value", env: { DDNS_PROVIDER_API_TOKEN: `'${TOKEN}'` }, line: "DDNS_PROVIDER_API_TOKEN: the value begins and ends with a single quote, which becomes part of the secret; remove the quotes unless they really belong to it." },
    { name: "double quotes in the file", env: { DDNS_PROVIDER_API_TOKEN: undefined, DDNS_PROVIDER_API_TOKEN_FILE: "/run/secrets/t" }, file: `"${TOKEN}"\n`, line: "DDNS_PROVIDER_API_TOKEN_FILE: the file begins and ends with a double quote, which becomes part of the secret; remove the quotes unless they really belong to it." },
    { name: "the update password", env: { DDNS_IP_SOURCE_TYPE: "push", DDNS_UPDATE_USERNAME: "router", DDNS_UPDATE_PASSWORD: "'router-pass-1'" }, line: "DDNS_UPDATE_PASSWORD: the value begins and ends with a single quote, which becomes part of the secret; remove the quotes unless they really belong to it." },
  ])("get a hint that never shows the secret: $name", ({ env, file, line }) => {
    const { warnings } = load(env, () => file ?? "");
    expect(warnings).toEqual([line]);
    expect(warnings.join("\n")).not.toContain(TOKEN);
  });

  it.each([
    { name: "a quote at one end only", token: `"${TOKEN}` },
    { name: "different quotes at the ends", token: `"${TOKEN}'` },
    { name: "quotes inside", token: `ab"cd"ef-${TOKEN}` },
  ])("no hint for $name", ({ token }) => {
    expect(load({ DDNS_PROVIDER_API_TOKEN: token }).warnings).toEqual([]);
  });

  it("a quoted TSIG secret is refused as not base64, with the hint", () => {
    let error: unknown;
    try {
      load({ DDNS_PROVIDER_TYPE: "rfc2136", DDNS_PROVIDER_API_TOKEN: '"c2VjcmV0c2VjcmV0"', DDNS_RFC2136_SERVER: "127.0.0.1:53", DDNS_RFC2136_TSIG_KEY_NAME: "k" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe("DDNS_PROVIDER_API_TOKEN must be the base64 TSIG secret when DDNS_PROVIDER_TYPE=rfc2136 (it is not valid base64; it begins and ends with a quote: remove the quotes).");
  });
});

describe("a configuration error comes with the typo hints", () => {
  it("prints the error line, then each unknown variable with its suggestion", () => {
    const env = { ...BASE, DDNS_RECORDS: undefined, DDNS_RECRDS: "home.example.com", DDNS_LOGLEVEL: "debug" };
    expect(configErrorLines("DDNS_RECORDS is required.", env, ALL_PROVIDERS)).toEqual([
      "Configuration error: DDNS_RECORDS is required.",
      "warning: Unknown variable DDNS_RECRDS is ignored; did you mean DDNS_RECORDS?",
      "warning: Unknown variable DDNS_LOGLEVEL is ignored; did you mean DDNS_LOG_LEVEL?",
    ]);
  });

  it("is the error line alone when every variable is known", () => {
    expect(configErrorLines("DDNS_RECORDS is required.", BASE, ALL_PROVIDERS)).toEqual(["Configuration error: DDNS_RECORDS is required."]);
  });
});
