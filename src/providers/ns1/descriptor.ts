import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRrsetProvider } from "../kit/rrset-provider.ts";
import { ns1Api } from "./ns1-api.ts";

export const ns1 = defineProvider({
  id: "ns1",
  name: "NS1 (IBM NS1 Connect)",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  ttl: { min: 1, max: 2_147_483_647, auto: "the existing record's TTL; a new record gets the zone's default TTL" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "an NS1 API key with the DNS permissions \"View zones\" and \"Manage zones\"").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.nsone.net/v1"),
  },
  create: (s, deps) => createRrsetProvider(ns1Api(s, deps), { id: "ns1", log: deps.log }),
});
