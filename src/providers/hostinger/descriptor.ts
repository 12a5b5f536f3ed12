import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRrsetProvider } from "../kit/rrset-provider.ts";
import { hostingerApi } from "./hostinger-api.ts";

export const hostinger = defineProvider({
  id: "hostinger",
  name: "Hostinger",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // Hostinger's reference names no TTL range; its hPanel offers 60 seconds and more, and new sets get 14400 there.
  ttl: { min: 60, max: 2_147_483_647, auto: "the existing record set's TTL; a new one gets 14400 (Hostinger's default)" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "a Hostinger API token (hPanel → Account → API)").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL (the DNS and domain APIs sit below it at /api/dns/v1 and /api/domains/v1)").default("https://developers.hostinger.com"),
  },
  create: (s, deps) => createRrsetProvider(hostingerApi(s, deps), { id: "hostinger", log: deps.log }),
});
