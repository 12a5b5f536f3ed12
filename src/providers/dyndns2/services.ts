/**
 * The DynDNS2 services ddnsd knows by name: each one's documented base URL and the quirks its update request must
 * honour; everything else follows Dyn's Remote Access API ("Perform Update"). Each is a `DDNS_DYNDNS2_PRESET`
 * value; those made ids with `dyndns2Service` (descriptor.ts) are provider ids of their own (`noip` ≡ `dyndns2` +
 * `DDNS_DYNDNS2_PRESET=noip`). Adding a service is adding an entry here, one `dyndns2Service` line, its docs page
 * and its line in the registry.
 *
 * Sources (as published by each service):
 * - No-IP "Request Method" / "Interpret Response": `myip` + `myipv6`, A and AAAA "updated individually or
 *   dual-stacked", several hostnames comma-separated, answers one line per hostname.
 * - Dynu "IP Update Protocol": `myip` + `myipv6`; `myip=no` / `myipv6=no` leaves that family unchanged.
 * - dynv6 "APIs": its DynDNS endpoint `https://dynv6.com/nic/update` "can only be used to update the IPv4 address".
 * - deSEC "IP Update API": `myip`/`myipv6`; a family not sent is deleted unless `preserve` is sent; errors come as
 *   HTTP status codes (401, 404, 429) rather than return codes.
 * - OVH DynHost: `/nic/update?system=dyndns`, one address per request in `myip` (an IPv6 address goes there too).
 */
export interface DynDns2Service {
  /** How operators and messages name the service ("No-IP"). */
  label: string;
  /** Default base URL (`DDNS_PROVIDER_API_URL`); empty for the generic protocol, where it must be set. */
  baseUrl: string;
  /** Path of the update endpoint below the base URL. */
  path: string;
  /**
   * How an IPv6 address travels: `myipv6` (own parameter; A and AAAA of one name go in one request),
   * `myip` (in place of the IPv4 address; one family per request), or `null` (the endpoint cannot set AAAA).
   */
  ipv6Param: "myipv6" | "myip" | null;
  /** With `myipv6`: the value that leaves the other family as it is (otherwise the service may delete it). */
  keepValue?: string;
  /** Hostnames per request (Dyn allows 20; services that document one hostname get 1). */
  maxHosts: number;
  /** What the DynDNS2 user name is at this service, and an example (messages, `ddnsd providers`, docs). */
  usernameHint: string;
  usernameExample: string;
  /** What the password (DDNS_PROVIDER_API_TOKEN) is at this service. */
  passwordHint: string;
  /** Quirk: fixed query parameters every update carries (OVH: `system=dyndns`). */
  extraQuery?: Record<string, string>;
}

/** The generic protocol, used when no preset is chosen: the base URL must come from `DDNS_PROVIDER_API_URL`. */
export const GENERIC_DYNDNS2: DynDns2Service = {
  label: "DynDNS2 service",
  baseUrl: "",
  path: "/nic/update",
  ipv6Param: "myip",
  maxHosts: 20,
  usernameHint: "the account's user name",
  usernameExample: "myuser",
  passwordHint: "the account's password (or update key)",
};

export const DYNDNS2_PRESETS = {
  noip: {
    label: "No-IP",
    baseUrl: "https://dynupdate.no-ip.com",
    path: "/nic/update",
    ipv6Param: "myipv6",
    maxHosts: 20,
    usernameHint: "the account e-mail address or a DDNS key user name",
    usernameExample: "me@example.com",
    passwordHint: "the account password or the DDNS key's password",
  },
  dynu: {
    label: "Dynu",
    baseUrl: "https://api.dynu.com",
    path: "/nic/update",
    ipv6Param: "myipv6",
    keepValue: "no",
    maxHosts: 1,
    usernameHint: "the Dynu user name",
    usernameExample: "myuser",
    passwordHint: "the account password or the IP update password",
  },
  dynv6: {
    label: "dynv6",
    baseUrl: "https://dynv6.com",
    path: "/nic/update",
    ipv6Param: null,
    maxHosts: 1,
    usernameHint: "not documented by dynv6; common clients send any non-empty value, e.g. none (the password is the zone's HTTP token)",
    usernameExample: "none",
    passwordHint: "the zone's HTTP token",
  },
  desec: {
    label: "deSEC",
    baseUrl: "https://update.dedyn.io",
    path: "/nic/update",
    ipv6Param: "myipv6",
    keepValue: "preserve",
    maxHosts: 1,
    usernameHint: "the domain name (the password is a deSEC token)",
    usernameExample: "example.dedyn.io",
    passwordHint: "a deSEC token",
  },
  ovh: {
    label: "OVH",
    baseUrl: "https://www.ovh.com",
    path: "/nic/update",
    ipv6Param: "myip",
    maxHosts: 1,
    usernameHint: "the DynHost login (e.g. example.com-home)",
    usernameExample: "example.com-home",
    passwordHint: "the DynHost password",
    extraQuery: { system: "dyndns" },
  },
} as const satisfies Record<string, DynDns2Service>;

export type DynDns2PresetName = keyof typeof DYNDNS2_PRESETS;

export const DYNDNS2_PRESET_NAMES = Object.keys(DYNDNS2_PRESETS) as DynDns2PresetName[];

