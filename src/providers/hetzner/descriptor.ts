import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRrsetProvider } from "../kit/rrset-provider.ts";
import { hetznerApi } from "./hetzner-api.ts";

export const hetzner = defineProvider({
  id: "hetzner",
  name: "Hetzner DNS (Cloud API)",
  capabilities: { read: true, comments: true, proxied: false, ownerRegistry: true },
  ttl: { min: 60, max: 2_147_483_647, auto: "the existing record set's TTL; a new one gets the zone's default TTL" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "a Hetzner Cloud API token (Read & Write) of the project that holds the zones").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.hetzner.cloud/v1"),
  },
  // Writes answer asynchronous actions: polled every half second, "could not confirm" after 30 s.
  create: (s, deps) => createRrsetProvider(hetznerApi(s, deps), { id: "hetzner", log: deps.log, confirmEveryMs: 500, confirmWithinMs: 30_000 }),
});
