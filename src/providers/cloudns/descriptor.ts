import { defineProvider } from "../kit/descriptor.ts";
import { oneOf, secret, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { cloudnsApi } from "./cloudns-api.ts";

export const cloudns = defineProvider({
  id: "cloudns",
  name: "ClouDNS",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // ClouDNS takes only its listed TTLs (60, 300, 900, 1800, 3600, 21600 … 2592000); others are rounded up to the next.
  ttl: { min: 60, max: 2_592_000, auto: "3600 for new records; existing records keep theirs" },
  fields: {
    authId: secret("DDNS_PROVIDER_API_KEY", "the auth-id of a ClouDNS API user (or the sub-auth-id / sub-auth-user of a sub-user, see DDNS_CLOUDNS_AUTH_KIND)").required("1234"),
    password: secret("DDNS_PROVIDER_API_TOKEN", "the password of that API user").required(),
    authKind: oneOf("DDNS_CLOUDNS_AUTH_KIND", "what DDNS_PROVIDER_API_KEY is: auth-id (an API user), sub-auth-id or sub-auth-user (an API sub-user limited to some zones)", ["auth-id", "sub-auth-id", "sub-auth-user"] as const).default("auth-id"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.cloudns.net/dns"),
  },
  create: (s, deps) => createRecordProvider(cloudnsApi(s, deps), { id: "cloudns", now: deps.now, log: deps.log }),
});
