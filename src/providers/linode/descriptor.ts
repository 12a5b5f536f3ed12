import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { linodeApi } from "./linode-api.ts";

export const linode = defineProvider({
  id: "linode",
  name: "Linode (Akamai Cloud)",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // Linode keeps 300, 3600, 7200 … 2419200 only and rounds any other value up to the next of them.
  ttl: { min: 300, max: 2_419_200, auto: "the domain's default TTL (ttl_sec 0) for new records; existing records keep theirs" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "a personal access token with the scope Domains: Read/Write").required("a 64-character hex token"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.linode.com/v4"),
  },
  create: (s, deps) => createRecordProvider(linodeApi(s, deps), { id: "linode", now: deps.now, log: deps.log }),
});
