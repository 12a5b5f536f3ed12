import { defineProvider, withLegacyDefaults } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createCloudflareProvider, DEFAULT_API_URL } from "./provider.ts";

export const cloudflare = defineProvider({
  id: "cloudflare",
  name: "Cloudflare",
  capabilities: { read: true, comments: true, proxied: true },
  // developers.cloudflare.com/api: "Setting to 1 means 'automatic'. Value must be between 60 and 86400".
  ttl: { min: 60, max: 86_400, auto: "Cloudflare's automatic TTL (1 in its API)" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", 'an API token with "Zone:Read" and "DNS:Edit" for the zones'),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default(DEFAULT_API_URL),
  },
  create: (settings, deps) => withLegacyDefaults(createCloudflareProvider(settings, deps), deps),
});
