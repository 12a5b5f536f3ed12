import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRrsetProvider } from "../kit/rrset-provider.ts";
import { gandiApi } from "./gandi-api.ts";

export const gandi = defineProvider({
  id: "gandi",
  name: "Gandi LiveDNS",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  ttl: { min: 300, max: 2_592_000, auto: "the existing record set's TTL; a new one gets Gandi's default (10800)" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "a Gandi personal access token with the permission \"Manage domain name technical configurations\"").required("pat_…"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.gandi.net/v5/livedns"),
  },
  create: (s, deps) => createRrsetProvider(gandiApi(s, deps), { id: "gandi", log: deps.log }),
});
