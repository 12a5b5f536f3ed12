import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRrsetProvider } from "../kit/rrset-provider.ts";
import { gcoreApi } from "./gcore-api.ts";

export const gcore = defineProvider({
  id: "gcore",
  name: "Gcore DNS",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  ttl: { min: 1, max: 2_147_483_647, auto: "the existing record set's TTL; a new one gets 3600" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "a Gcore permanent API token of a user with access to DNS").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.gcore.com/dns/v2"),
  },
  create: (s, deps) => createRrsetProvider(gcoreApi(s, deps), { id: "gcore", log: deps.log }),
});
