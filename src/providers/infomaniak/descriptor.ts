import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { infomaniakApi } from "./infomaniak-api.ts";

export const infomaniak = defineProvider({
  id: "infomaniak",
  name: "Infomaniak",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // Infomaniak's reference gives no range; its records are seen with TTLs from 60 s, and 300 is its clients' default.
  ttl: { min: 60, max: 86_400, auto: "3600 for new records; existing records keep theirs" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "an Infomaniak API token with the scopes dns:read and dns:write").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.infomaniak.com"),
  },
  create: (s, deps) => createRecordProvider(infomaniakApi(s, deps), { id: "infomaniak", now: deps.now, log: deps.log }),
});
