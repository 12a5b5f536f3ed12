import { ALL_PROVIDERS } from "../../src/providers/registry.ts";
import { describe, expect, it } from "bun:test";
import { loadConfig } from "../../src/config/load-config.ts";
import { renderEffectiveConfig } from "../../src/config/print-config.ts";
import { ConfigError } from "../../src/core/errors.ts";

/** DDNS_IP_SOURCE_TYPE=push and the update endpoint's DDNS_UPDATE_* variables. */
const TOKEN = "cf-secret-token-123";
const PASSWORD = "router-pass-456";
const BASE = { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_RECORDS: "home.example.com" };
const PUSH = { ...BASE, DDNS_IP_SOURCE_TYPE: "push", DDNS_UPDATE_USERNAME: "router", DDNS_UPDATE_PASSWORD: PASSWORD };
const noFile = (path: string): string => {
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
};
const load = (env: Record<string, string | undefined>, readFile = noFile) => loadConfig({ providers: ALL_PROVIDERS, env, readFile });

function failure(env: Record<string, string | undefined>, readFile = noFile): ConfigError {
  try {
    load(env, readFile);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("push source and update endpoint settings", () => {
  it("is off by default: no endpoint settings without the push source", () => {
    expect(load(BASE).config.updateServer).toBeUndefined();
  });

  it("fills the endpoint's defaults", () => {
    const { config, warnings } = load(PUSH);
    expect(config.ipSource.type).toBe("push");
    expect(config.updateServer).toEqual({
      username: "router",
      password: PASSWORD,
      lockout: { count: 5, windowMs: 900_000 },
      rateLimit: { count: 5, windowMs: 300_000 },
    });
    expect(warnings).toEqual([]);
  });

  it.each([
    { name: "lockout and rate limit", env: { DDNS_UPDATE_LOCKOUT: "3/1h", DDNS_UPDATE_RATE_LIMIT: "10 / 30s" }, expect: { lockout: { count: 3, windowMs: 3_600_000 }, rateLimit: { count: 10, windowMs: 30_000 } } },
    { name: "proxy header, lower-cased", env: { DDNS_UPDATE_CLIENT_IP_HEADER: "X-Forwarded-For" }, expect: { clientIpHeader: "x-forwarded-for" } },
    { name: "password with spaces and unicode", env: { DDNS_UPDATE_PASSWORD: "pass wört 123" }, expect: { password: "pass wört 123" } },
  ])("parses $name", ({ env, expect: expected }) => {
    expect(load({ ...PUSH, ...env }).config.updateServer).toMatchObject(expected);
  });

  it("reads the password from a file and trims one trailing newline", () => {
    const { config } = load({ ...PUSH, DDNS_UPDATE_PASSWORD: undefined, DDNS_UPDATE_PASSWORD_FILE: "/run/secrets/p" }, () => "from-a-file-789\n");
    expect(config.updateServer?.password).toBe("from-a-file-789");
  });

  it("warns once when endpoint settings are given without the push source", () => {
    const { warnings } = load({ ...BASE, DDNS_UPDATE_USERNAME: "router", DDNS_UPDATE_PASSWORD: PASSWORD });
    expect(warnings).toEqual(["DDNS_UPDATE_USERNAME, DDNS_UPDATE_PASSWORD are ignored unless DDNS_IP_SOURCE_TYPE=push (the update endpoint is off)."]);
  });

  it("knows every DDNS_UPDATE_* name (no unknown-variable warning)", () => {
    const all = { DDNS_UPDATE_LOCKOUT: "5/15m", DDNS_UPDATE_RATE_LIMIT: "5/5m", DDNS_UPDATE_CLIENT_IP_HEADER: "X-Real-IP" };
    expect(load({ ...PUSH, ...all }).warnings).toEqual([]);
  });

  it("prints the endpoint in `check` with the password redacted", () => {
    const lines = renderEffectiveConfig(load({ ...PUSH, DDNS_UPDATE_LOCKOUT: "3/1h" }).config, ALL_PROVIDERS);
    expect(lines.filter((l) => l.startsWith("DDNS_UPDATE_"))).toEqual([
      "DDNS_UPDATE_USERNAME=router",
      `DDNS_UPDATE_PASSWORD=[REDACTED] (${PASSWORD.length} characters)`,
      "DDNS_UPDATE_LOCKOUT=3/1h",
      "DDNS_UPDATE_RATE_LIMIT=5/5m",
      "DDNS_UPDATE_CLIENT_IP_HEADER=(none: the socket peer)",
    ]);
    expect(lines.join("\n")).not.toContain(PASSWORD);
  });
});

describe("update endpoint configuration errors name the variable and never the password", () => {
  it.each([
    { name: "no username", env: { DDNS_UPDATE_USERNAME: undefined }, variable: "DDNS_UPDATE_USERNAME", message: "DDNS_UPDATE_USERNAME is required when DDNS_IP_SOURCE_TYPE=push." },
    { name: "username with a colon", env: { DDNS_UPDATE_USERNAME: "a:b" }, variable: "DDNS_UPDATE_USERNAME", message: 'DDNS_UPDATE_USERNAME must be 1 to 128 characters without spaces or colons (got "a:b").' },
    { name: "no password", env: { DDNS_UPDATE_PASSWORD: undefined }, variable: "DDNS_UPDATE_PASSWORD", message: "DDNS_UPDATE_PASSWORD is required when DDNS_IP_SOURCE_TYPE=push." },
    { name: "short password", env: { DDNS_UPDATE_PASSWORD: "short7!" }, variable: "DDNS_UPDATE_PASSWORD", message: "DDNS_UPDATE_PASSWORD must be at least 8 characters long." },
    { name: "the provider token as password", env: { DDNS_UPDATE_PASSWORD: TOKEN }, variable: "DDNS_UPDATE_PASSWORD", message: "DDNS_UPDATE_PASSWORD must not be the provider token; give the update endpoint a password of its own." },
    { name: "bad lockout", env: { DDNS_UPDATE_LOCKOUT: "five" }, variable: "DDNS_UPDATE_LOCKOUT", message: 'DDNS_UPDATE_LOCKOUT must be a count and a duration such as 5/15m (1 to 10000 per 1s to 7d; got "five").' },
    { name: "zero rate limit", env: { DDNS_UPDATE_RATE_LIMIT: "0/1m" }, variable: "DDNS_UPDATE_RATE_LIMIT", message: 'DDNS_UPDATE_RATE_LIMIT must be a count and a duration such as 5/15m (1 to 10000 per 1s to 7d; got "0/1m").' },
    { name: "header with a space", env: { DDNS_UPDATE_CLIENT_IP_HEADER: "X Real IP" }, variable: "DDNS_UPDATE_CLIENT_IP_HEADER", message: 'DDNS_UPDATE_CLIENT_IP_HEADER must be an HTTP header name such as X-Forwarded-For (got "X Real IP").' },
    { name: "no HTTP listener", env: { DDNS_HTTP_ADDR: "off" }, variable: "DDNS_HTTP_ADDR", message: "DDNS_HTTP_ADDR must not be off when DDNS_IP_SOURCE_TYPE=push (the update endpoint /nic/update is served there)." },
  ])("$name", ({ env, variable, message }) => {
    const error = failure({ ...PUSH, ...env });
    expect({ variable: error.variable, message: error.message }).toEqual({ variable, message });
    expect(error.message).not.toContain(PASSWORD);
  });

  it("refuses two different passwords without quoting either", () => {
    const error = failure({ ...PUSH, DDNS_UPDATE_PASSWORD_FILE: "/s" }, () => "another-pass-000\n");
    expect(error.message).toBe("DDNS_UPDATE_PASSWORD_FILE and DDNS_UPDATE_PASSWORD are both set and differ; set only one of them.");
    expect(error.message).not.toContain("another-pass-000");
  });

  it("names an unreadable password file", () => {
    const error = failure({ ...PUSH, DDNS_UPDATE_PASSWORD: undefined, DDNS_UPDATE_PASSWORD_FILE: "/run/secrets/p" });
    expect(error.message).toBe('DDNS_UPDATE_PASSWORD_FILE could not be read: "/run/secrets/p" (no such file).');
  });

  it("needs no interface for the push source", () => {
    expect(load(PUSH).config.ipSource.interface).toBeUndefined();
  });
});
