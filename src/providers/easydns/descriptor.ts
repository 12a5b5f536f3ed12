import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { easydnsApi } from "./easydns-api.ts";

export const easydns = defineProvider({
  id: "easydns",
  name: "easyDNS",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // easyDNS's reference names no range; its clients (libdns, lego) hold to 300 s as the floor.
  ttl: { min: 300, max: 2_147_483_647, auto: "3600 for new records; existing records keep theirs" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "the easyDNS API token (the Basic auth user name; cp.easydns.com → Security → API)").required(),
    key: secret("DDNS_PROVIDER_API_KEY", "the easyDNS API key issued with the token (the Basic auth password)").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://rest.easydns.net"),
  },
  create: (s, deps) => createRecordProvider(easydnsApi(s, deps), { id: "easydns", now: deps.now, concurrency: 2, log: deps.log }),
});
