import { describe, expect, it } from "bun:test";
import { defineProvider } from "../../src/providers/kit/descriptor.ts";
import * as field from "../../src/providers/kit/fields.ts";
import * as v from "valibot";

const example = defineProvider({
  id: "example",
  name: "Example DNS",
  capabilities: { read: true, comments: false, proxied: false },
  ttl: { min: 60, max: 86400, auto: "the zone's default" },
  fields: {
    token: field.secret("DDNS_PROVIDER_API_TOKEN", "API token with DNS write permission"),
    apiUrl: field.url("DDNS_PROVIDER_API_URL", "API base URL").default("https://api.example.net/v1"),
    server: field.hostPort("DDNS_EXAMPLE_SERVER", "name server", 53).required("127.0.0.1:53"),
    zone: field.dnsName("DDNS_EXAMPLE_ZONE", "zone, found automatically otherwise"),
    keyId: field.secret("DDNS_PROVIDER_API_KEY", "key id").or("EXAMPLE_KEY_ID"),
  },
  create: () => {
    throw new Error("not needed here");
  },
});

const TOKEN = "tok-secret-123";

describe("provider descriptors", () => {
  it("derives the variable list from the fields", () => {
    expect(example.variables).toEqual([
      { name: "DDNS_PROVIDER_API_TOKEN", description: "API token with DNS write permission", secret: true, required: true, fallbacks: [] },
      { name: "DDNS_PROVIDER_API_URL", description: "API base URL", secret: false, required: false, default: "https://api.example.net/v1", fallbacks: [] },
      { name: "DDNS_EXAMPLE_SERVER", description: "name server", secret: false, required: true, fallbacks: [] },
      { name: "DDNS_EXAMPLE_ZONE", description: "zone, found automatically otherwise", secret: false, required: false, fallbacks: [] },
      { name: "DDNS_PROVIDER_API_KEY", description: "key id", secret: true, required: true, fallbacks: ["EXAMPLE_KEY_ID"] },
    ]);
  });

  it("parses settings with defaults and fallbacks", () => {
    const parsed = example.parse({ DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_EXAMPLE_SERVER: "[::1]", EXAMPLE_KEY_ID: "kid-4567" } as Record<string, string>);
    expect(parsed).toEqual({ ok: true, settings: { token: TOKEN, apiUrl: "https://api.example.net/v1", server: "[::1]:53", zone: undefined, keyId: "kid-4567" } });
  });

  it.each([
    { name: "a missing required field, with its example", raw: { DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_KEY: "k1234" }, variable: "DDNS_EXAMPLE_SERVER", reason: "is required when DDNS_PROVIDER_TYPE=example (e.g. 127.0.0.1:53)" },
    { name: "a malformed value, quoted", raw: { DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_KEY: "k1234", DDNS_EXAMPLE_SERVER: "a b" }, variable: "DDNS_EXAMPLE_SERVER", reason: 'must be host:port such as 127.0.0.1:53 (got "a b")' },
    { name: "a secret with a space, never quoted", raw: { DDNS_PROVIDER_API_TOKEN: "tok en", DDNS_EXAMPLE_SERVER: "h:53" }, variable: "DDNS_PROVIDER_API_TOKEN", reason: "contains white space; a provider secret is a single word (check for a pasted line break)" },
  ])("names the variable for $name", ({ raw, variable, reason }) => {
    expect(example.parse(raw)).toEqual({ ok: false, issue: { variable, reason } });
  });

  it("offers the same verdict as a valibot schema, the variable in the issue path", () => {
    const result = v.safeParse(example.schema, { DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_KEY: "k1234" });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.issues[0].message).toBe("DDNS_EXAMPLE_SERVER is required when DDNS_PROVIDER_TYPE=example (e.g. 127.0.0.1:53)");
      expect(v.getDotPath(result.issues[0])).toBe("DDNS_EXAMPLE_SERVER");
    }
  });

  it("describes settings for check without the secrets", () => {
    const parsed = example.parse({ DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_EXAMPLE_SERVER: "ns1.example.net:5353", DDNS_PROVIDER_API_KEY: "kid-4567" });
    if (!parsed.ok) throw new Error("expected valid settings");
    const lines = example.describe(parsed.settings);
    expect(lines).toEqual([
      ["DDNS_PROVIDER_API_TOKEN", "[REDACTED] (14 characters)"],
      ["DDNS_PROVIDER_API_URL", "https://api.example.net/v1"],
      ["DDNS_EXAMPLE_SERVER", "ns1.example.net:5353"],
      ["DDNS_EXAMPLE_ZONE", "(not set)"],
      ["DDNS_PROVIDER_API_KEY", "[REDACTED] (8 characters)"],
    ]);
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });
});
