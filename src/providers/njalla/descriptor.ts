import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { njallaApi } from "./njalla-api.ts";

export const njalla = defineProvider({
  id: "njalla",
  name: "Njalla",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // Njalla takes only 60, 300, 900, 3600, 10800, 21600 and 86400; others are rounded up to the next.
  ttl: { min: 60, max: 86_400, auto: "3600 for new records; existing records keep theirs" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "a Njalla API token (njal.la → Settings → API)").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API endpoint").default("https://njal.la/api/1"),
  },
  create: (s, deps) => createRecordProvider(njallaApi(s, deps), { id: "njalla", now: deps.now, log: deps.log }),
});
