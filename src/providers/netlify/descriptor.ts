import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { netlifyApi } from "./netlify-api.ts";

export const netlify = defineProvider({
  id: "netlify",
  name: "Netlify",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // Netlify documents no TTL range; its default for new records is 3600.
  ttl: { min: 1, max: 2_147_483_647, auto: "Netlify's default (3600) for new records; existing records keep theirs" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "a personal access token (User settings → Applications → Personal access tokens)").required("nfp_…"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.netlify.com/api/v1"),
  },
  create: (s, deps) => createRecordProvider(netlifyApi(s, deps), { id: "netlify", now: deps.now, log: deps.log }),
});
