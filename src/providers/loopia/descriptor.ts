import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { loopiaApi } from "./loopia-api.ts";

export const loopia = defineProvider({
  id: "loopia",
  name: "Loopia",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // Loopia's reference names no range; 300 s is the floor its customer zone editor and its API clients keep.
  ttl: { min: 300, max: 2_147_483_647, auto: "3600 for new records; existing records keep theirs" },
  fields: {
    user: secret("DDNS_PROVIDER_API_KEY", "the Loopia API user (`name@loopiaapi`)").required("ddnsd@loopiaapi"),
    password: secret("DDNS_PROVIDER_API_TOKEN", "the Loopia API user's password").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the XML-RPC endpoint (api.loopia.no and api.loopia.rs for those countries' accounts)").default("https://api.loopia.se/RPCSERV"),
  },
  // 60 calls a minute for the whole API user: one call at a time.
  create: (s, deps) => createRecordProvider(loopiaApi(s, deps), { id: "loopia", now: deps.now, concurrency: 1, log: deps.log }),
});
