import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { digitalOceanApi } from "./digitalocean-api.ts";

export const digitalocean = defineProvider({
  id: "digitalocean",
  name: "DigitalOcean",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // DigitalOcean's minimum is 30 s; it names no maximum, so the DNS one (2^31 - 1) stands.
  ttl: { min: 30, max: 2_147_483_647, auto: "DigitalOcean's default (1800) for new records; existing records keep theirs" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "a personal access token with the custom scopes domain:read and domain:update").required("dop_v1_…"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.digitalocean.com/v2"),
  },
  create: (s, deps) => createRecordProvider(digitalOceanApi(s, deps), { id: "digitalocean", now: deps.now, log: deps.log }),
});
