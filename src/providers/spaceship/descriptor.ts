import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRrsetProvider } from "../kit/rrset-provider.ts";
import { spaceshipApi } from "./spaceship-api.ts";

export const spaceship = defineProvider({
  id: "spaceship",
  name: "Spaceship",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  ttl: { min: 60, max: 3600, auto: "the existing records' TTL; new records get 3600" },
  fields: {
    key: secret("DDNS_PROVIDER_API_KEY", "a Spaceship API key with the permissions domains:read, dnsrecords:read and dnsrecords:write").required(),
    token: secret("DDNS_PROVIDER_API_TOKEN", "the API secret of that key").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://spaceship.dev/api/v1"),
  },
  create: (s, deps) => createRrsetProvider(spaceshipApi(s, deps), { id: "spaceship", log: deps.log }),
});
