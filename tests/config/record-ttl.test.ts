import { ALL_PROVIDERS } from "../../src/providers/registry.ts";
import { describe, expect, it } from "bun:test";
import { loadConfig } from "../../src/config/load-config.ts";
import { ConfigError } from "../../src/core/errors.ts";

/** DDNS_RECORD_TTL is checked against the chosen provider's range (src/providers/ttl-ranges.ts). */
const PROVIDER_ENV: Record<string, Record<string, string>> = {
  cloudflare: { DDNS_PROVIDER_TYPE: "cloudflare" },
  rfc2136: { DDNS_PROVIDER_TYPE: "rfc2136", DDNS_PROVIDER_API_TOKEN: "c2VjcmV0c2VjcmV0", DDNS_RFC2136_SERVER: "127.0.0.1:53", DDNS_RFC2136_TSIG_KEY_NAME: "k" },
  powerdns: { DDNS_PROVIDER_TYPE: "powerdns", DDNS_PROVIDER_API_URL: "http://127.0.0.1:8081" },
  dyndns2: { DDNS_PROVIDER_TYPE: "dyndns2", DDNS_DYNDNS2_PRESET: "noip", DDNS_DYNDNS2_USERNAME: "me" },
  duckdns: { DDNS_PROVIDER_TYPE: "duckdns" },
};

function load(provider: string, ttl: string) {
  return loadConfig({ providers: ALL_PROVIDERS, 
    env: { DDNS_PROVIDER_API_TOKEN: "ttl-test-token-1", DDNS_RECORDS: "home.example.com", ...PROVIDER_ENV[provider], DDNS_RECORD_TTL: ttl },
    readFile: () => "",
  });
}

function messageOf(provider: string, ttl: string): string {
  try {
    load(provider, ttl);
  } catch (error) {
    if (error instanceof ConfigError && error.variable === "DDNS_RECORD_TTL") return error.message;
    throw error;
  }
  throw new Error("expected a ConfigError for DDNS_RECORD_TTL");
}

describe("DDNS_RECORD_TTL per provider", () => {
  it.each([
    { name: "cloudflare at its minimum", provider: "cloudflare", ttl: "60", expected: 60 },
    { name: "cloudflare at its maximum", provider: "cloudflare", ttl: "86400", expected: 86_400 },
    { name: "cloudflare auto", provider: "cloudflare", ttl: "AUTO", expected: "auto" },
    { name: "rfc2136 at 30", provider: "rfc2136", ttl: "30", expected: 30 },
    { name: "powerdns at 30", provider: "powerdns", ttl: "30", expected: 30 },
  ])("accepts $name", ({ provider, ttl, expected }) => {
    expect(load(provider, ttl).config.targets[0]!.defaults.ttl).toBe(expected);
  });

  it.each([
    { name: "30 at cloudflare (it refuses under 60)", provider: "cloudflare", ttl: "30", message: 'DDNS_RECORD_TTL must be auto or a number of seconds from 60 to 86400 for cloudflare (got "30").' },
    { name: "1 at cloudflare points to auto", provider: "cloudflare", ttl: "1", message: `DDNS_RECORD_TTL must be auto or a number of seconds from 60 to 86400 for cloudflare (got "1"); DDNS_RECORD_TTL=auto is Cloudflare's automatic TTL (1 in its API).` },
    { name: "above the maximum", provider: "cloudflare", ttl: "86401", message: 'DDNS_RECORD_TTL must be auto or a number of seconds from 60 to 86400 for cloudflare (got "86401").' },
    { name: "1 at rfc2136 points to auto", provider: "rfc2136", ttl: "1", message: `DDNS_RECORD_TTL must be auto or a number of seconds from 30 to 86400 for rfc2136 (got "1"); DDNS_RECORD_TTL=auto is the existing record's TTL (300 for a new record).` },
    { name: "29 at powerdns", provider: "powerdns", ttl: "29", message: 'DDNS_RECORD_TTL must be auto or a number of seconds from 30 to 86400 for powerdns (got "29").' },
    { name: "not a number", provider: "cloudflare", ttl: "5m", message: 'DDNS_RECORD_TTL must be auto or a number of seconds from 60 to 86400 for cloudflare (got "5m").' },
    { name: "not a number where the TTL has no effect", provider: "duckdns", ttl: "soon", message: 'DDNS_RECORD_TTL must be auto or a number of seconds (got "soon").' },
  ])("refuses $name", ({ provider, ttl, message }) => {
    expect(messageOf(provider, ttl)).toBe(message);
  });

  it.each([
    { name: "dyndns2", provider: "dyndns2" },
    { name: "duckdns", provider: "duckdns" },
  ])("warns that a TTL has no effect with $name", ({ provider }) => {
    expect(load(provider, "300").warnings).toEqual([`DDNS_RECORD_TTL has no effect with ${provider} (the service chooses the TTL); ignored.`]);
  });
});
