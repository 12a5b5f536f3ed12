import { defineProvider } from "../kit/descriptor.ts";
import { secret, text, url } from "../kit/fields.ts";
import { createRrsetProvider } from "../kit/rrset-provider.ts";
import { powerDnsApi } from "./powerdns-api.ts";

export const powerdns = defineProvider({
  id: "powerdns",
  name: "PowerDNS Authoritative (HTTP API)",
  capabilities: { read: true, comments: true, proxied: false, ownerRegistry: true },
  ttl: { min: 30, max: 86_400, auto: "the existing RRset's TTL (300 for a new RRset)" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "the API key (api-key in pdns.conf)"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the webserver's URL").required("http://127.0.0.1:8081"),
    serverId: text("DDNS_POWERDNS_SERVER_ID", "the server id in the API's paths").default("localhost"),
  },
  create: (s, deps) => createRrsetProvider(powerDnsApi(s, deps), { id: "powerdns", log: deps.log }),
});
