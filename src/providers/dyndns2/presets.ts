/**
 * DynDNS2 service presets, selected with `DDNS_DYNDNS2_PRESET`. Each entry holds the documented base URL and the
 * quirks the update request must honour; everything else follows Dyn's Remote Access API ("Perform Update").
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
export type DynDns2PresetName = "noip" | "dynu" | "dynv6" | "desec" | "ovh";

export interface DynDns2Preset {
  /** How operators and messages name the service. */
  label: string;
  /** Default base URL when `DDNS_PROVIDER_API_URL` is not set. */
  baseUrl: string;
  /** Path of the update endpoint below the base URL. */
  path: string;
  /** Fixed query parameters every update carries (OVH: `system=dyndns`). */
  extraQuery: Record<string, string>;
  /**
   * How an IPv6 address travels: `myipv6` (own parameter; A and AAAA of one name go in one request),
   * `myip` (in place of the IPv4 address; one family per request), or `null` (the endpoint cannot set AAAA).
   */
  ipv6Param: "myipv6" | "myip" | null;
  /** With `myipv6`: the value that leaves the other family as it is (otherwise the service may delete it). */
  keepValue?: string;
  /** Hostnames per request (Dyn allows 20; services that document one hostname get 1). */
  maxHosts: number;
  /** What the DynDNS2 username is at this service (for messages and docs). */
  usernameHint: string;
}

/** The generic protocol, used when no preset is chosen: the base URL must come from `DDNS_PROVIDER_API_URL`. */
export const GENERIC_DYNDNS2: DynDns2Preset = {
  label: "DynDNS2 service",
  baseUrl: "",
  path: "/nic/update",
  extraQuery: {},
  ipv6Param: "myip",
  maxHosts: 20,
  usernameHint: "the account's user name",
};

export const DYNDNS2_PRESETS: Readonly<Record<DynDns2PresetName, DynDns2Preset>> = {
  noip: {
    label: "No-IP",
    baseUrl: "https://dynupdate.no-ip.com",
    path: "/nic/update",
    extraQuery: {},
    ipv6Param: "myipv6",
    maxHosts: 20,
    usernameHint: "the account e-mail address or a DDNS key user name",
  },
  dynu: {
    label: "Dynu",
    baseUrl: "https://api.dynu.com",
    path: "/nic/update",
    extraQuery: {},
    ipv6Param: "myipv6",
    keepValue: "no",
    maxHosts: 1,
    usernameHint: "the Dynu user name",
  },
  dynv6: {
    label: "dynv6",
    baseUrl: "https://dynv6.com",
    path: "/nic/update",
    extraQuery: {},
    ipv6Param: null,
    maxHosts: 1,
    usernameHint: "not documented by dynv6; common clients send any non-empty value, e.g. none (the password is the zone's HTTP token)",
  },
  desec: {
    label: "deSEC",
    baseUrl: "https://update.dedyn.io",
    path: "/nic/update",
    extraQuery: {},
    ipv6Param: "myipv6",
    keepValue: "preserve",
    maxHosts: 1,
    usernameHint: "the domain name (the password is a deSEC token)",
  },
  ovh: {
    label: "OVH",
    baseUrl: "https://www.ovh.com",
    path: "/nic/update",
    extraQuery: { system: "dyndns" },
    ipv6Param: "myip",
    maxHosts: 1,
    usernameHint: "the DynHost login (e.g. example.com-home)",
  },
};

export const DYNDNS2_PRESET_NAMES = Object.keys(DYNDNS2_PRESETS) as DynDns2PresetName[];

export function isDynDns2PresetName(value: string): value is DynDns2PresetName {
  return Object.hasOwn(DYNDNS2_PRESETS, value);
}

/** The preset's rules, or the generic protocol's when no preset is named. */
export function dynDns2PresetOf(name: DynDns2PresetName | undefined): DynDns2Preset {
  return name ? DYNDNS2_PRESETS[name] : GENERIC_DYNDNS2;
}
