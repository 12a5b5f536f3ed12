import { defineProvider } from "../kit/descriptor.ts";
import { Field, text, url } from "../kit/fields.ts";
import { sleep } from "../kit/rate-limiter.ts";
import { createRrsetProvider, type RrsetProviderOptions } from "../kit/rrset-provider.ts";
import type { DnsProvider, ProviderDeps } from "../kit/types.ts";
import { gcpApi } from "./gcp-api.ts";
import { serviceAccountKey } from "./service-account.ts";

type GcpSettings = Parameters<typeof gcpApi>[0];
/** Cloud DNS applies a change in seconds; polled every second for up to 30 s. */
export function createGcpProvider(s: GcpSettings, deps: ProviderDeps, tuning: Partial<RrsetProviderOptions> = {}): DnsProvider {
  return createRrsetProvider(gcpApi(s, deps), { id: "gcp", log: deps.log, sleep, confirmWithinMs: 30_000, confirmEveryMs: 1_000, ...tuning });
}

export const gcp = defineProvider({
  id: "gcp",
  name: "Google Cloud DNS",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  ttl: { min: 0, max: 2_147_483_647, auto: "the existing record set's TTL (300 for a new one)" },
  fields: {
    // A whole JSON document: not the one-word secret of other providers (white space and line breaks are part of it).
    token: new Field("DDNS_PROVIDER_API_TOKEN", "the service account's JSON key (best as DDNS_PROVIDER_API_TOKEN_FILE)", serviceAccountKey, true, true),
    project: text("DDNS_GCP_PROJECT", "the project of the managed zones (default: the key's project_id)").optional(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://dns.googleapis.com/dns/v1"),
  },
  create: (s, deps) => createGcpProvider(s, deps),
});
