import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { namecomApi } from "./namecom-api.ts";

export const namecom = defineProvider({
  id: "namecom",
  name: "Name.com",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // "name.com allows a minimum TTL of 300" (its API's Record definition); it names no maximum.
  ttl: { min: 300, max: 2_147_483_647, auto: "Name.com's default (300) for new records; existing records keep theirs" },
  fields: {
    // The contract treats DDNS_PROVIDER_API_KEY as a secret (redacted, with a _FILE twin) even where it is a user name.
    username: secret("DDNS_PROVIDER_API_KEY", "the Name.com account's user name (the Basic auth user name)").required("alice"),
    token: secret("DDNS_PROVIDER_API_TOKEN", "a production API token of that user (Account → Settings → Security → API Management)").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.name.com/v4"),
  },
  create: (s, deps) => createRecordProvider(namecomApi(s, deps), { id: "namecom", now: deps.now, log: deps.log }),
});
