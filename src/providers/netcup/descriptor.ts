import { defineProvider } from "../kit/descriptor.ts";
import { secret, text, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { netcupApi } from "./netcup-api.ts";

export const netcup = defineProvider({
  id: "netcup",
  name: "netcup (CCP DNS API)",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // netcup's TTL is the zone's, set in the CCP: records have none of their own.
  ttl: undefined,
  fields: {
    customer: text("DDNS_NETCUP_CUSTOMER_NUMBER", "the netcup customer number").required("12345"),
    apiKey: secret("DDNS_PROVIDER_API_KEY", "an API key created in the CCP (Stammdaten → API)").required(),
    apiPassword: secret("DDNS_PROVIDER_API_TOKEN", "the CCP's API password").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the JSON endpoint").default("https://ccp.netcup.net/run/webservice/servers/endpoint.php?JSON"),
  },
  create: (s, deps) => {
    const api = netcupApi(s, deps);
    return { ...createRecordProvider(api, { id: "netcup", now: deps.now, log: deps.log }), close: api.logout };
  },
});
