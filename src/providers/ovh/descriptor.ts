import { defineProvider } from "../kit/descriptor.ts";
import { oneOf, secret, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { OVH_ENDPOINTS, ovhApi } from "./ovh-api.ts";

/** OVHcloud's signed API. DynHost (OVH's DynDNS2 service) is the dyndns2 provider with DDNS_DYNDNS2_PRESET=ovh. */
export const ovh = defineProvider({
  id: "ovh",
  name: "OVHcloud DNS (signed API)",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  // OVH documents no TTL range on /domain/zone/{zone}/record; its zone editor offers 60 s as the shortest.
  ttl: { min: 60, max: 2_147_483_647, auto: "the zone's default TTL for new records; existing records keep theirs" },
  fields: {
    applicationKey: secret("DDNS_PROVIDER_API_KEY", "the application key of an OVH API application").required(),
    applicationSecret: secret("DDNS_PROVIDER_API_TOKEN", "the application secret of that application").required(),
    consumerKey: secret("DDNS_OVH_CONSUMER_KEY", "a consumer key granted GET, POST, PUT and DELETE on /domain/zone/*").required(),
    endpoint: oneOf("DDNS_OVH_ENDPOINT", "the OVHcloud API region the account belongs to", ["eu", "ca", "us"] as const).default("eu"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL (default: the DDNS_OVH_ENDPOINT region's, https://eu.api.ovh.com/1.0 for eu)").optional(),
  },
  create: (s, deps) => createRecordProvider(ovhApi({ ...s, apiUrl: s.apiUrl ?? OVH_ENDPOINTS[s.endpoint] }, deps), { id: "ovh", now: deps.now, log: deps.log }),
});
