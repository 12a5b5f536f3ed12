import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { dnspodApi } from "./dnspod-api.ts";

export const dnspod = defineProvider({
  id: "dnspod",
  name: "DNSPod (Tencent Cloud API 3.0)",
  capabilities: { read: true, comments: true, proxied: false },
  // DNSPod takes 1…604800; the free plan's floor is 600 (a lower TTL there is refused with the plan named).
  ttl: { min: 1, max: 604_800, auto: "DNSPod's default (600) for new records; existing records keep theirs" },
  fields: {
    secretId: secret("DDNS_PROVIDER_API_KEY", "the SecretId of a Tencent Cloud API key (CAM sub-user with DNSPod access)").required("AKID…"),
    secretKey: secret("DDNS_PROVIDER_API_TOKEN", "the SecretKey of that API key").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API endpoint").default("https://dnspod.tencentcloudapi.com"),
  },
  create: (s, deps) => createRecordProvider(dnspodApi(s, deps), { id: "dnspod", now: deps.now }),
});
