import { describe, expect, it } from "bun:test";
import { generateKeyPairSync } from "node:crypto";
import { ALL_PROVIDERS } from "../../src/providers/registry.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import type { ProviderDescriptor } from "../../src/providers/kit/descriptor.ts";

/**
 * `capabilities.delete` (default `read`) is what `check` and start-up warn from when DDNS_DELETE_ON_STOP has no effect;
 * the provider's `deleteRecords` is what the stop uses. The two must agree for every provider, or the warning lies
 * (silence where nothing is deleted, or a warning where records are). Each provider is built from plausible values of
 * its required variables (nothing is sent).
 */
const pem = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const OVERRIDES: Record<string, Record<string, string>> = {
  dyndns2: { DDNS_PROVIDER_API_URL: "http://127.0.0.1:9" },
  transip: { DDNS_PROVIDER_API_TOKEN: pem },
  gcp: { DDNS_PROVIDER_API_TOKEN: JSON.stringify({ type: "service_account", client_email: "ddnsd@project.iam.gserviceaccount.com", private_key: pem, project_id: "project", token_uri: "http://127.0.0.1:9/token" }) },
};

function guess(name: string, secret: boolean): string {
  if (/URL/.test(name)) return "http://127.0.0.1:9";
  if (/SERVER$/.test(name)) return "127.0.0.1:53";
  if (/ZONE|DOMAIN/.test(name)) return "example.com";
  return secret ? "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0" : "example";
}

// biome-ignore lint: any provider's descriptor
function build(d: ProviderDescriptor<any>) {
  const raw: Record<string, string> = {};
  for (const v of d.variables) if (v.required && v.default === undefined) raw[v.name] = guess(v.name, v.secret);
  const parsed = d.parse({ ...raw, ...OVERRIDES[d.id] });
  if (!parsed.ok) throw new Error(`${d.id}: ${parsed.issue.variable} ${parsed.issue.reason}`);
  return d.create(parsed.settings, { fetch, log: createMemoryLogger(), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {} });
}

describe("DDNS_DELETE_ON_STOP: the capability matches the provider", () => {
  it.each(ALL_PROVIDERS.list.map((d) => ({ id: d.id, d })))("$id", ({ d }) => {
    const says = d.capabilities.delete ?? d.capabilities.read;
    expect({ deletes: typeof build(d).deleteRecords === "function" }).toEqual({ deletes: says });
  });
});
