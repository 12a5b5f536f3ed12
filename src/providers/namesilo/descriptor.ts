import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { namesiloApi } from "./namesilo-api.ts";

export const namesilo = defineProvider({
  id: "namesilo",
  name: "NameSilo",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // NameSilo's DNS manager takes 3600 s to 30 days; without rrttl it gives a record 7207.
  ttl: { min: 3600, max: 2_592_000, auto: "7207 for new records (NameSilo's default); existing records keep theirs" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "a NameSilo API key (Account → API Manager), not read-only").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://www.namesilo.com/api"),
  },
  create: (s, deps) => createRecordProvider(namesiloApi(s, deps), { id: "namesilo", now: deps.now, concurrency: 1, log: deps.log }),
});
