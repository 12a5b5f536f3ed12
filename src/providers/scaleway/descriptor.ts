import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRrsetProvider } from "../kit/rrset-provider.ts";
import { scalewayApi } from "./scaleway-api.ts";

export const scaleway = defineProvider({
  id: "scaleway",
  name: "Scaleway Domains and DNS",
  capabilities: { read: true, comments: true, proxied: false, ownerRegistry: true },
  // The API reference names no TTL range; 60 is the least the console offers.
  ttl: { min: 60, max: 2_147_483_647, auto: "the existing record set's TTL; a new one gets 3600" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "the secret key of a Scaleway API key whose IAM policy grants DomainsDNSFullAccess").required(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.scaleway.com/domain/v2beta1"),
  },
  create: (s, deps) => createRrsetProvider(scalewayApi(s, deps), { id: "scaleway", log: deps.log }),
});
