import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRrsetProvider } from "../kit/rrset-provider.ts";
import { goDaddyApi } from "./godaddy-api.ts";

export const godaddy = defineProvider({
  id: "godaddy",
  name: "GoDaddy",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // GoDaddy's records take a TTL of at least 600 s; it names no maximum.
  ttl: { min: 600, max: 2_147_483_647, auto: "3600 for a new record set; an existing set keeps its TTL" },
  fields: {
    key: secret("DDNS_PROVIDER_API_KEY", "the production API key, from developer.godaddy.com → API Keys").required("dKD…"),
    token: secret("DDNS_PROVIDER_API_TOKEN", "the secret created with that key").required("Ebo…"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.godaddy.com/v1"),
  },
  create: (s, deps) => createRrsetProvider(goDaddyApi(s, deps), { id: "godaddy", log: deps.log }),
});
