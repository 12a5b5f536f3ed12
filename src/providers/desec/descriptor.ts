import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRrsetProvider } from "../kit/rrset-provider.ts";
import { desecApi } from "./desec-api.ts";

/** deSEC's REST API (rrsets). Its DynDNS2 update URL stays what it was: DDNS_PROVIDER_TYPE=dyndns2, DDNS_DYNDNS2_PRESET=desec. */
export const desec = defineProvider({
  id: "desec",
  name: "deSEC (REST API)",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // The floor is each domain's minimum_ttl (3600 unless deSEC granted less); the API refuses a TTL below it.
  ttl: { min: 1, max: 86_400, auto: "the existing record set's TTL; a new one gets the domain's minimum TTL (usually 3600)" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "a deSEC API token whose policy lets it write the record sets (perm_write)").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://desec.io/api/v1"),
  },
  create: (s, deps) => createRrsetProvider(desecApi(s, deps), { id: "desec", log: deps.log }),
});
