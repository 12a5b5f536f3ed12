import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { vultrApi } from "./vultr-api.ts";

export const vultr = defineProvider({
  id: "vultr",
  name: "Vultr",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // Vultr's reference names no TTL range; the DNS one stands and Vultr's own refusal is reported as it says it.
  ttl: { min: 1, max: 2_147_483_647, auto: "Vultr's default for new records; existing records keep theirs" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "a Vultr API key (Account → API) whose access control allows this host").required("a 36-character API key"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.vultr.com/v2"),
  },
  create: (s, deps) => createRecordProvider(vultrApi(s, deps), { id: "vultr", now: deps.now, log: deps.log }),
});
