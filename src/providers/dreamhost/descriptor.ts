import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { dreamhostApi } from "./dreamhost-api.ts";

export const dreamhost = defineProvider({
  id: "dreamhost",
  name: "DreamHost",
  capabilities: { read: true, comments: true, proxied: false },
  // DreamHost's API sets no TTL: its DNS serves its own.
  ttl: undefined,
  fields: {
    key: secret("DDNS_PROVIDER_API_TOKEN", "a DreamHost API key allowed the dns-* commands (panel → Advanced → API)").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.dreamhost.com"),
  },
  create: (s, deps) => createRecordProvider(dreamhostApi(s, deps), { id: "dreamhost", now: deps.now }),
});
