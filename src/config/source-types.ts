import { ConfigError } from "../core/errors.ts";
import type { Family } from "../core/family.ts";
import type { IpSourceType } from "./types.ts";

/**
 * The source of each family: `DDNS_IP_SOURCE_TYPE_V4` / `DDNS_IP_SOURCE_TYPE_V6`, each defaulting to
 * `DDNS_IP_SOURCE_TYPE` (e.g. IPv4 from `http` behind NAT, IPv6 from `netlink` on eth0). `push` is all or nothing:
 * the update endpoint answers for both families at once, so it cannot be mixed with another type.
 */
export type FamilySources = Record<Family, IpSourceType>;

export const SOURCE_TYPES = ["http", "netlink", "interface", "push", "static", "router"] as const satisfies readonly IpSourceType[];

const FAMILY_VARIABLE: Record<Family, string> = { 4: "DDNS_IP_SOURCE_TYPE_V4", 6: "DDNS_IP_SOURCE_TYPE_V6" };

export const isLocalType = (type: IpSourceType): type is "netlink" | "interface" => type === "netlink" || type === "interface";

export interface SourceTypes {
  /** DDNS_IP_SOURCE_TYPE (the default of both families). */
  type: IpSourceType;
  byFamily: FamilySources;
  /** The variable that decided a family's type, for messages: the per-family one when set, else DDNS_IP_SOURCE_TYPE. */
  variableOf: (family: Family) => string;
}

export function readSourceTypes(
  raw: (name: string) => string | undefined,
  get: (name: string, fallback: IpSourceType) => IpSourceType,
): SourceTypes {
  const type = get("DDNS_IP_SOURCE_TYPE", "http");
  const byFamily: FamilySources = { 4: get(FAMILY_VARIABLE[4], type), 6: get(FAMILY_VARIABLE[6], type) };
  const variableOf = (family: Family) => (raw(FAMILY_VARIABLE[family]) === undefined ? "DDNS_IP_SOURCE_TYPE" : FAMILY_VARIABLE[family]);
  if ((byFamily[4] === "push") !== (byFamily[6] === "push")) {
    // Name the per-family variable that was set: the one that broke the pair.
    const family: Family = variableOf(4) === FAMILY_VARIABLE[4] ? 4 : 6;
    const other: Family = family === 4 ? 6 : 4;
    const name = variableOf(family);
    throw new ConfigError(
      name,
      `${name}=${byFamily[family]} cannot be combined with ${variableOf(other)}=${byFamily[other]}: push takes both families from the update endpoint; set both to push, or neither.`,
    );
  }
  return { type, byFamily, variableOf };
}

/** netlink/interface need DDNS_IP_SOURCE_INTERFACE: one line naming the variable that asked for it. */
export function checkInterface(types: SourceTypes, iface: string | undefined): void {
  if (iface) return;
  const family = ([4, 6] as const).find((f) => isLocalType(types.byFamily[f]));
  if (family === undefined) return;
  throw new ConfigError(
    "DDNS_IP_SOURCE_INTERFACE",
    `DDNS_IP_SOURCE_INTERFACE is required when ${types.variableOf(family)}=${types.byFamily[family]} (e.g. eth0).`,
  );
}

/** How `ddnsd check` and the start-up line name the sources: one type, or each family's. */
export function describeSources(byFamily: FamilySources): string {
  return byFamily[4] === byFamily[6] ? byFamily[4] : `${byFamily[4]} (IPv4), ${byFamily[6]} (IPv6)`;
}
