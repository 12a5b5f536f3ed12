import { defineProvider } from "../kit/descriptor.ts";
import { oneOf, secret, text, url } from "../kit/fields.ts";
import { createDynDns2Provider } from "./dyndns2-provider.ts";
import { DYNDNS2_PRESET_NAMES, DYNDNS2_PRESETS, GENERIC_DYNDNS2, type DynDns2PresetName } from "./services.ts";

const WRITE_ONLY = { read: false, comments: false, proxied: false } as const;

/** `dyndns2`: any DynDNS2 server by its URL, or a known service by `DDNS_DYNDNS2_PRESET`. */
export const dyndns2 = defineProvider({
  id: "dyndns2",
  name: "DynDNS2 protocol (any compatible service)",
  capabilities: WRITE_ONLY,
  ttl: undefined,
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", GENERIC_DYNDNS2.passwordHint),
    username: text("DDNS_DYNDNS2_USERNAME", GENERIC_DYNDNS2.usernameHint).required(),
    preset: oneOf("DDNS_DYNDNS2_PRESET", "a known service's URL and quirks", DYNDNS2_PRESET_NAMES),
    apiUrl: url("DDNS_PROVIDER_API_URL", `the service's base URL (below it: ${GENERIC_DYNDNS2.path})`),
  },
  refine: (s) =>
    s.apiUrl === undefined && s.preset === undefined
      ? { variable: "DDNS_PROVIDER_API_URL", reason: "or DDNS_DYNDNS2_PRESET is required when DDNS_PROVIDER_TYPE=dyndns2" }
      : undefined,
  create: (s, deps) => createDynDns2Provider("dyndns2", s.preset ? DYNDNS2_PRESETS[s.preset] : GENERIC_DYNDNS2, s, deps),
});

/**
 * A DynDNS2 service as a provider id of its own (`noip` ≡ `dyndns2` + `DDNS_DYNDNS2_PRESET=noip`): its default
 * URL, its own user-name variable (`DDNS_<ID>_USERNAME`, or `DDNS_DYNDNS2_USERNAME` as set for the preset) and
 * its own docs page (docs/providers/<id>.md). Everything else comes from the service's entry in services.ts.
 */
export function dyndns2Service<const Id extends DynDns2PresetName>(id: Id) {
  const service = DYNDNS2_PRESETS[id];
  return defineProvider({
    id,
    name: `${service.label} (DynDNS2)`,
    capabilities: WRITE_ONLY,
    ttl: undefined,
    fields: {
      token: secret("DDNS_PROVIDER_API_TOKEN", service.passwordHint),
      username: text(`DDNS_${id.toUpperCase()}_USERNAME`, service.usernameHint).or("DDNS_DYNDNS2_USERNAME").required(service.usernameExample),
      apiUrl: url("DDNS_PROVIDER_API_URL", `${service.label}'s base URL (below it: ${service.path})`).default(service.baseUrl),
    },
    create: (s, deps) => createDynDns2Provider(id, service, s, deps),
  });
}

// `desec` and `ovh` stay presets only: those ids belong to the deSEC REST API and the signed OVH API.
export const noip = dyndns2Service("noip");
export const dynu = dyndns2Service("dynu");
export const dynv6 = dyndns2Service("dynv6");
