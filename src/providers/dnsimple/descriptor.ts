import { defineProvider } from "../kit/descriptor.ts";
import { secret, text, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { dnsimpleApi } from "./dnsimple-api.ts";

export const dnsimple = defineProvider({
  id: "dnsimple",
  name: "DNSimple",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  ttl: { min: 60, max: 2_147_483_647, auto: "DNSimple's default (3600) for new records; existing records keep theirs" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "an account API token (Account → Access Tokens)").required("dnsimple_a_…"),
    account: text("DDNS_DNSIMPLE_ACCOUNT_ID", "the account id; needed only with a user token (an account token names its account)").optional(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.dnsimple.com/v2"),
  },
  create: (s, deps) => createRecordProvider(dnsimpleApi(s, deps), { id: "dnsimple", now: deps.now, log: deps.log }),
});
