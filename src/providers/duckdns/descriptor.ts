import { defineProvider, legacyDeps } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createDuckDnsProvider, DUCKDNS_DEFAULT_URL } from "./duckdns-provider.ts";

export const duckdns = defineProvider({
  id: "duckdns",
  name: "DuckDNS",
  capabilities: { read: false, comments: false, proxied: false },
  ttl: undefined,
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "the account's token (duckdns.org, top of the page)"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the update service's base URL").default(DUCKDNS_DEFAULT_URL),
  },
  create: (s, deps) => createDuckDnsProvider(legacyDeps(deps, { type: "duckdns", token: s.token, apiUrl: s.apiUrl }), { userAgent: deps.userAgent }),
});
