import { defineProvider } from "../kit/descriptor.ts";
import { flag, secretKey, text, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { transipApi } from "./transip-api.ts";

export const transip = defineProvider({
  id: "transip",
  name: "TransIP",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // TransIP's control panel offers 60 s to 1 week for an entry's expire.
  ttl: { min: 60, max: 604_800, auto: "3600 for new entries; existing entries keep theirs" },
  fields: {
    pem: secretKey("DDNS_PROVIDER_API_TOKEN", "the private key of a TransIP API key pair, in PEM (give the file with DDNS_PROVIDER_API_TOKEN_FILE)").required(),
    login: text("DDNS_TRANSIP_LOGIN", "the TransIP account name (login) the key belongs to").required("example"),
    whitelistedOnly: flag("DDNS_TRANSIP_WHITELISTED_ONLY", "the key accepts only whitelisted IP addresses: ask for tokens bound to them").default("false"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.transip.nl/v6"),
  },
  create: (s, deps) => createRecordProvider(transipApi(s, deps), { id: "transip", now: deps.now }),
});
