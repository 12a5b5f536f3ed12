import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { domeneshopApi } from "./domeneshop-api.ts";

export const domeneshop = defineProvider({
  id: "domeneshop",
  name: "Domeneshop",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // Domeneshop's TTLs are whole minutes; others are rounded up to the next minute.
  ttl: { min: 60, max: 604_800, auto: "3600 for new records; existing records keep theirs" },
  fields: {
    token: secret("DDNS_PROVIDER_API_KEY", "the token of a Domeneshop API client (the Basic auth user name)").required(),
    secret: secret("DDNS_PROVIDER_API_TOKEN", "the secret of that API client").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.domeneshop.no/v0"),
  },
  create: (s, deps) => createRecordProvider(domeneshopApi(s, deps), { id: "domeneshop", now: deps.now, log: deps.log }),
});
