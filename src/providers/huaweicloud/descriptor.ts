import { defineProvider } from "../kit/descriptor.ts";
import { secret, text, url } from "../kit/fields.ts";
import { createRrsetProvider } from "../kit/rrset-provider.ts";
import { huaweiApi } from "./huawei-api.ts";

export const huaweicloud = defineProvider({
  id: "huaweicloud",
  name: "Huawei Cloud DNS",
  capabilities: { read: true, comments: true, proxied: false, ownerRegistry: true },
  ttl: { min: 1, max: 2_147_483_647, auto: "the existing record set's TTL; a new one gets Huawei Cloud's default (300)" },
  fields: {
    accessKey: secret("DDNS_PROVIDER_API_KEY", "the Access Key Id (AK) of an IAM user with DNS FullAccess").required(),
    secretKey: secret("DDNS_PROVIDER_API_TOKEN", "the Secret Access Key (SK) of that AK").required(),
    projectId: text("DDNS_HUAWEICLOUD_PROJECT_ID", "the project id sent as X-Project-Id (only for regional endpoints)").optional(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://dns.myhuaweicloud.com/v2"),
  },
  // Writes answer PENDING_*: polled every half second until ACTIVE, "could not confirm" after 30 s.
  create: (s, deps) => createRrsetProvider(huaweiApi(s, deps), { id: "huaweicloud", log: deps.log, confirmEveryMs: 500, confirmWithinMs: 30_000 }),
});
