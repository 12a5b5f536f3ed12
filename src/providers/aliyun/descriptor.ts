import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { aliyunApi } from "./aliyun-api.ts";

export const aliyun = defineProvider({
  id: "aliyun",
  name: "Alibaba Cloud DNS (Alidns)",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // Alidns takes 1…86400 by edition; the free edition's floor is 600 (a lower TTL there is refused).
  ttl: { min: 1, max: 86_400, auto: "Alibaba Cloud's default (600) for new records; existing records keep theirs" },
  fields: {
    accessKeyId: secret("DDNS_PROVIDER_API_KEY", "the AccessKey ID of a RAM user with AliyunDNSFullAccess").required("LTAI…"),
    accessKeySecret: secret("DDNS_PROVIDER_API_TOKEN", "the AccessKey secret of that AccessKey").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API endpoint").default("https://alidns.aliyuncs.com"),
  },
  create: (s, deps) => createRecordProvider(aliyunApi(s, deps), { id: "aliyun", now: deps.now, log: deps.log }),
});
