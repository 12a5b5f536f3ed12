import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRrsetProvider } from "../kit/rrset-provider.ts";
import { ionosApi } from "./ionos-api.ts";

export const ionos = defineProvider({
  id: "ionos",
  name: "IONOS DNS",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // The reference recommends 3600 and names no range; 300 is the floor its clients (lego) hold to.
  ttl: { min: 300, max: 2_147_483_647, auto: "the existing records' TTL; new ones get 3600" },
  fields: {
    prefix: secret("DDNS_PROVIDER_API_KEY", "the public prefix of the IONOS API key").required(),
    token: secret("DDNS_PROVIDER_API_TOKEN", "the secret of the IONOS API key").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.hosting.ionos.com/dns/v1"),
  },
  create: (s, deps) => createRrsetProvider(ionosApi(s, deps), { id: "ionos", log: deps.log }),
});
