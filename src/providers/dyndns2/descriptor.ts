import { defineProvider, legacyDeps } from "../kit/descriptor.ts";
import { oneOf, secret, text, url } from "../kit/fields.ts";
import { createDynDns2Provider } from "./dyndns2-provider.ts";
import { DYNDNS2_PRESET_NAMES } from "./presets.ts";

export const dyndns2 = defineProvider({
  id: "dyndns2",
  name: "DynDNS2 protocol (any compatible service)",
  capabilities: { read: false, comments: false, proxied: false },
  ttl: undefined,
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "the account's password (or update key)"),
    username: text("DDNS_DYNDNS2_USERNAME", "the account's user name").required(),
    preset: oneOf("DDNS_DYNDNS2_PRESET", "a known service's URL and quirks", DYNDNS2_PRESET_NAMES),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the service's base URL (below it: /nic/update)"),
  },
  refine: (s) =>
    s.apiUrl === undefined && s.preset === undefined
      ? { variable: "DDNS_PROVIDER_API_URL", reason: "or DDNS_DYNDNS2_PRESET is required when DDNS_PROVIDER_TYPE=dyndns2" }
      : undefined,
  create: (s, deps) =>
    createDynDns2Provider(
      legacyDeps(deps, { type: "dyndns2", token: s.token, ...(s.apiUrl ? { apiUrl: s.apiUrl } : {}), dyndns2: { username: s.username, ...(s.preset ? { preset: s.preset } : {}) } }),
      { userAgent: deps.userAgent, ...(s.preset ? { preset: s.preset } : {}) },
    ),
});
