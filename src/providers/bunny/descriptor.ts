import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { bunnyApi } from "./bunny-api.ts";

export const bunny = defineProvider({
  id: "bunny",
  name: "bunny.net DNS",
  capabilities: { read: true, comments: true, proxied: false },
  ttl: { min: 15, max: 2_147_483_647, auto: "300 for new records; existing records keep theirs" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "the bunny.net account API key (Account settings → API)").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.bunny.net"),
  },
  create: (s, deps) => createRecordProvider(bunnyApi(s, deps), { id: "bunny", now: deps.now }),
});
