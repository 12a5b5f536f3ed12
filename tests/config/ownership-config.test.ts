import { describe, expect, it } from "bun:test";
import { loadConfig } from "../../src/config/load-config.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { ALL_PROVIDERS } from "../../src/providers/registry.ts";

/** DDNS_RECORD_COMMENT and DDNS_MANAGED_RECORDS_COMMENT_REGEX as the configuration reads and checks them. */
const CF = { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: "cf-secret-token-123", DDNS_RECORDS: "home.example.com" };
const DO = { DDNS_PROVIDER_TYPE: "digitalocean", DDNS_PROVIDER_API_TOKEN: "do-secret-token-123", DDNS_RECORDS: "home.example.com" };
const noFile = (path: string): string => {
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
};
const load = (env: Record<string, string>, readFile = noFile) => loadConfig({ providers: ALL_PROVIDERS, env, readFile });

function failure(env: Record<string, string>, readFile = noFile): ConfigError {
  try {
    load(env, readFile);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("DDNS_RECORD_COMMENT", () => {
  it("is every record's comment unless the record's own comment option overrides it", () => {
    const { config } = load({ ...CF, DDNS_RECORD_COMMENT: "ddnsd:a", DDNS_RECORDS: "home.example.com,nas.example.com{comment=ddnsd:nas}" });
    expect(config.targets[0]!.records.map((r) => [r.name, r.options.comment])).toEqual([["home.example.com", "ddnsd:a"], ["nas.example.com", "ddnsd:nas"]]);
  });

  it("warns, once for the target and once for the records, when the provider stores no comments", () => {
    const { warnings } = load({ ...DO, DDNS_RECORD_COMMENT: "ddnsd:a", DDNS_RECORDS: "home.example.com,nas.example.com{comment=x}" });
    expect(warnings).toContain("DDNS_RECORD_COMMENT has no effect with digitalocean (its records store no comment); ignored.");
    expect(warnings).toContain('DDNS_RECORDS: the comment of "nas.example.com" has no effect with digitalocean (its records store no comment); ignored.');
  });

  it("gives no warning where the provider stores comments", () => {
    expect(load({ ...CF, DDNS_RECORD_COMMENT: "ddnsd:a" }).warnings.filter((w) => w.includes("comment"))).toEqual([]);
  });

  it("refuses a comment of several lines", () => {
    expect(failure({ ...CF, DDNS_RECORD_COMMENT: "a\nb" }).message).toBe("DDNS_RECORD_COMMENT must be one line of at most 500 characters.");
  });
});

describe("DDNS_MANAGED_RECORDS_COMMENT_REGEX", () => {
  it("is compiled once and reaches every record", () => {
    const { config } = load({ ...CF, DDNS_RECORD_COMMENT: "ddnsd:a", DDNS_MANAGED_RECORDS_COMMENT_REGEX: "^ddnsd:a$" });
    expect(config.targets[0]!.records[0]!.options.managedComment?.source).toBe("^ddnsd:a$");
  });

  it.each([
    { name: "an invalid regex", env: { ...CF, DDNS_RECORD_COMMENT: "x", DDNS_MANAGED_RECORDS_COMMENT_REGEX: "^(ddnsd" }, variable: "DDNS_MANAGED_RECORDS_COMMENT_REGEX", message: "DDNS_MANAGED_RECORDS_COMMENT_REGEX is not a valid regular expression: missing ) (JavaScript RegExp syntax, e.g. ^ddnsd:home$)." },
    { name: "a provider that stores no comments", env: { ...DO, DDNS_MANAGED_RECORDS_COMMENT_REGEX: "^ddnsd$" }, variable: "DDNS_MANAGED_RECORDS_COMMENT_REGEX", message: "DDNS_MANAGED_RECORDS_COMMENT_REGEX needs a provider that stores comments; digitalocean records have none (unset it; several daemons on one name need a provider with comments)." },
    { name: "a comment the regex does not match", env: { ...CF, DDNS_RECORD_COMMENT: "ddnsd:b", DDNS_MANAGED_RECORDS_COMMENT_REGEX: "^ddnsd:a$" }, variable: "DDNS_RECORD_COMMENT", message: 'DDNS_RECORD_COMMENT ("ddnsd:b") does not match DDNS_MANAGED_RECORDS_COMMENT_REGEX ("^ddnsd:a$"): ddnsd would not own the records it creates and would add another one each round; make the two fit.' },
    { name: "no comment, and a regex that needs one", env: { ...CF, DDNS_MANAGED_RECORDS_COMMENT_REGEX: "^ddnsd:a$" }, variable: "DDNS_MANAGED_RECORDS_COMMENT_REGEX", message: 'DDNS_MANAGED_RECORDS_COMMENT_REGEX ("^ddnsd:a$") does not match an empty comment, and DDNS_RECORD_COMMENT is not set: ddnsd would not own the records it creates and would add another one each round; set DDNS_RECORD_COMMENT to a comment the regex matches.' },
    { name: "a record's own comment the regex does not match", env: { ...CF, DDNS_RECORD_COMMENT: "ddnsd:a", DDNS_RECORDS: "home.example.com,nas.example.com{comment=nas}", DDNS_MANAGED_RECORDS_COMMENT_REGEX: "^ddnsd:a$" }, variable: "DDNS_RECORDS", message: 'DDNS_RECORDS gives "nas.example.com" the comment "nas", which DDNS_MANAGED_RECORDS_COMMENT_REGEX ("^ddnsd:a$") does not match: ddnsd would not own the records it creates and would add another one each round; give it a comment the regex matches.' },
  ])("is a configuration error naming the variable with $name", ({ env, variable, message }) => {
    const error = failure(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toBe(message);
  });

  it("accepts a regex that matches an empty comment without DDNS_RECORD_COMMENT", () => {
    expect(load({ ...CF, DDNS_MANAGED_RECORDS_COMMENT_REGEX: "^$|^ddnsd" }).config.targets[0]!.defaults.managedComment?.source).toBe("^$|^ddnsd");
  });

  it("is read from a [[target]] table of DDNS_CONFIG_FILE, and its errors name the file's line and key", () => {
    const toml = '[[target]]\nprovider_type = "cloudflare"\nprovider_api_token = "cf-secret-token-123"\nrecords = "home.example.com"\nrecord_comment = "ddnsd:a"\nmanaged_records_comment_regex = "^ddnsd:b$"\n';
    const error = failure({ DDNS_CONFIG_FILE: "/etc/ddnsd.toml" }, () => toml);
    expect(error.message).toBe('"/etc/ddnsd.toml" line 5: record_comment ("ddnsd:a") does not match DDNS_MANAGED_RECORDS_COMMENT_REGEX ("^ddnsd:b$"): ddnsd would not own the records it creates and would add another one each round; make the two fit.');
  });
});

describe("DDNS_DELETE_ON_STOP with a provider that cannot delete", () => {
  const deleteWarnings = (env: Record<string, string>, readFile = noFile) => load({ DDNS_DELETE_ON_STOP: "true", ...env }, readFile).warnings.filter((w) => w.startsWith("DDNS_DELETE_ON_STOP"));
  it.each<{ name: string; env: Record<string, string>; want: string[] }>([
    { name: "a record-template provider deletes: no warning", env: CF, want: [] },
    { name: "a set-replacing provider that deletes (deSEC): no warning", env: { DDNS_PROVIDER_TYPE: "desec", DDNS_PROVIDER_API_TOKEN: "desec-secret-token", DDNS_RECORDS: "home.example.com" }, want: [] },
    { name: "DuckDNS clears names: no warning", env: { DDNS_PROVIDER_TYPE: "duckdns", DDNS_PROVIDER_API_TOKEN: "a7c4d0ad-114e-40ef-ba1d-d217904a50f2", DDNS_RECORDS: "home.duckdns.org" }, want: [] },
    {
      name: "a set-replacing provider that deletes a set record by record (IONOS): no warning",
      env: { DDNS_PROVIDER_TYPE: "ionos", DDNS_PROVIDER_API_TOKEN: "ionos-secret-token", DDNS_PROVIDER_API_KEY: "ionos-prefix", DDNS_RECORDS: "home.example.com" },
      want: [],
    },
    {
      name: "a write-only update URL (FreeDNS)",
      env: { DDNS_PROVIDER_TYPE: "freedns", DDNS_PROVIDER_API_TOKEN: "freedns-update-token-0123456789", DDNS_RECORDS: "home.mooo.com" },
      want: ["DDNS_DELETE_ON_STOP has no effect with freedns (its update URL can set an address but not delete or clear one); its records stay in place when ddnsd stops."],
    },
  ])("$name", ({ env, want }) => {
    expect(deleteWarnings(env)).toEqual(want);
  });

  it("with several targets names the target that cannot", () => {
    const file = '[[target]]\nid = "cf"\nprovider_type = "cloudflare"\nprovider_api_token = "cf-secret-token-123"\nrecords = "home.example.com"\n\n[[target]]\nid = "free"\nprovider_type = "freedns"\nprovider_api_token = "freedns-update-token-0123456789"\nrecords = "home.mooo.com"\n';
    expect(deleteWarnings({ DDNS_CONFIG_FILE: "/etc/ddnsd.toml" }, () => file)).toEqual([
      "DDNS_DELETE_ON_STOP has no effect with freedns (target free) (its update URL can set an address but not delete or clear one); its records stay in place when ddnsd stops.",
    ]);
  });

  it("says nothing when DDNS_DELETE_ON_STOP is off", () => {
    const env = { DDNS_PROVIDER_TYPE: "freedns", DDNS_PROVIDER_API_TOKEN: "freedns-update-token-0123456789", DDNS_RECORDS: "home.mooo.com" };
    expect(load(env).warnings.filter((w) => w.startsWith("DDNS_DELETE_ON_STOP"))).toEqual([]);
  });
});
