import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { luadnsApi } from "./luadns-api.ts";

export const luadns = defineProvider({
  id: "luadns",
  name: "LuaDNS",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // LuaDNS's reference names no TTL range; 300 is the floor its clients (lego) hold to.
  ttl: { min: 300, max: 2_147_483_647, auto: "3600 for new records; existing records keep theirs" },
  fields: {
    // The contract treats DDNS_PROVIDER_API_KEY as a secret (redacted, with a _FILE twin) even where it is an e-mail.
    email: secret("DDNS_PROVIDER_API_KEY", "the e-mail address of the LuaDNS account (the Basic auth user name)").required("you@example.com"),
    token: secret("DDNS_PROVIDER_API_TOKEN", "a LuaDNS API key, global or restricted to the zone").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.luadns.com/v1"),
  },
  create: (s, deps) => createRecordProvider(luadnsApi(s, deps), { id: "luadns", now: deps.now, log: deps.log }),
});
