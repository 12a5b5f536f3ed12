import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { porkbunApi } from "./porkbun-api.ts";

export const porkbun = defineProvider({
  id: "porkbun",
  name: "Porkbun",
  capabilities: { read: true, comments: true, proxied: false },
  // Porkbun's documentation: "The minimum and the default is 600 seconds"; it names no maximum.
  ttl: { min: 600, max: 2_147_483_647, auto: "Porkbun's default (600) for new records; existing records keep theirs" },
  fields: {
    key: secret("DDNS_PROVIDER_API_KEY", "the API key (pk1_…), from porkbun.com → Account → API Access").required("pk1_…"),
    token: secret("DDNS_PROVIDER_API_TOKEN", "the secret API key (sk1_…) created with it").required("sk1_…"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.porkbun.com/api/json/v3"),
  },
  create: (s, deps) => createRecordProvider(porkbunApi(s, deps), { id: "porkbun", now: deps.now }),
});
