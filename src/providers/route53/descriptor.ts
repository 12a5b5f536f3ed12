import { defineProvider } from "../kit/descriptor.ts";
import { secret, text, url } from "../kit/fields.ts";
import { sleep } from "../kit/rate-limiter.ts";
import { createRrsetProvider, type RrsetProviderOptions } from "../kit/rrset-provider.ts";
import type { DnsProvider, ProviderDeps } from "../kit/types.ts";
import { route53Api, type Route53Settings } from "./route53-api.ts";

/** Route 53 applies a change within about 60 s ("PENDING" until then); polled every 2 s, one GetChange each. */
export function createRoute53Provider(s: Route53Settings, deps: ProviderDeps, tuning: Partial<RrsetProviderOptions> = {}): DnsProvider {
  return createRrsetProvider(route53Api(s, deps), { id: "route53", log: deps.log, sleep, confirmWithinMs: 60_000, confirmEveryMs: 2_000, ...tuning });
}

export const route53 = defineProvider({
  id: "route53",
  name: "Amazon Route 53",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  ttl: { min: 0, max: 2_147_483_647, auto: "the existing record set's TTL (300 for a new one)" },
  fields: {
    key: secret("DDNS_PROVIDER_API_KEY", "the access key id of an IAM user with the route53 permissions of docs/providers/route53.md").or("AWS_ACCESS_KEY_ID").required("AKIA…"),
    token: secret("DDNS_PROVIDER_API_TOKEN", "the secret access key of that access key id").or("AWS_SECRET_ACCESS_KEY"),
    sessionToken: secret("DDNS_ROUTE53_SESSION_TOKEN", "the session token of temporary credentials (STS)").optional().or("AWS_SESSION_TOKEN"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL (paths start with /2013-04-01)").default("https://route53.amazonaws.com"),
    zoneId: text("DDNS_ROUTE53_HOSTED_ZONE_ID", "the hosted zone's id (found by name when unset)").optional(),
  },
  create: (s, deps) => createRoute53Provider(s, deps),
});
