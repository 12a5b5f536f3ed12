import { parseAddress } from "../../core/address-rules.ts";
import type { RecordRequest } from "../kit/types.ts";
import { quote } from "../dyndns2/return-codes.ts";

/**
 * Which DuckDNS requests to send (pure). DuckDNS updates `<sub>.duckdns.org` by its subname; `ip` sets A and
 * `ipv6` sets AAAA in the same request, and a comma-separated `domains` list shares those addresses. So the A and
 * AAAA of one name travel together, and names that get the same addresses share a request.
 *
 * Spec note: "if you do not specify the IP address, then it will be detected" — unless `ipv6` is given. An AAAA-only
 * update therefore sends `ipv6` alone (no detection happens and A stays as it is); ddnsd never sends neither.
 */
export const DUCKDNS_SUFFIX = ".duckdns.org";
/** Keep URLs short; DuckDNS accounts hold few subdomains anyway. */
const MAX_DOMAINS = 20;

export interface DuckSlot {
  index: number;
  address: string;
}

export interface DuckUnit {
  name: string;
  sub: string;
  v4?: DuckSlot;
  v6?: DuckSlot;
}

export interface DuckBatch {
  units: DuckUnit[];
  /** The query without the token (the provider adds it, and it never appears in a log or message). */
  query: Record<string, string>;
}

/** The subname of a DuckDNS record, or the operator-facing reason it cannot be one. */
export function duckDnsSubname(name: string): { ok: true; sub: string } | { ok: false; message: string } {
  // The reason only: the engine's line names the record.
  const notDuck = "the name is not a DuckDNS name: DuckDNS updates only names of the form <subdomain>.duckdns.org; correct DDNS_RECORDS";
  if (!name.endsWith(DUCKDNS_SUFFIX)) return { ok: false, message: notDuck };
  const labels = name.slice(0, -DUCKDNS_SUFFIX.length).split(".");
  const sub = labels[labels.length - 1] ?? "";
  if (sub === "" || sub === "*") return { ok: false, message: notDuck };
  if (labels.length > 1) {
    const parent = quote(`${sub}${DUCKDNS_SUFFIX}`);
    return { ok: false, message: `DuckDNS cannot update this name on its own: it updates ${parent}, which also answers for every name below it; list ${parent} in DDNS_RECORDS instead` };
  }
  return { ok: true, sub };
}

/** Why the address cannot be sent, or `undefined`. */
export function checkContent(request: RecordRequest): string | undefined {
  const family = request.type === "A" ? 4 : 6;
  const parsed = parseAddress(request.content);
  if (parsed && parsed.family === family) return undefined;
  return `${quote(request.content)} is not an IPv${family} address`;
}

export function planDuckBatches(items: Array<{ index: number; request: RecordRequest; sub: string }>): DuckBatch[] {
  const units: DuckUnit[] = [];
  const byName = new Map<string, DuckUnit>();
  for (const { index, request, sub } of items) {
    const field = request.type === "A" ? "v4" : "v6";
    const slot = { index, address: parseAddress(request.content)?.address ?? request.content };
    const existing = byName.get(request.name);
    if (existing && existing[field] === undefined) {
      existing[field] = slot;
      continue;
    }
    const unit: DuckUnit = { name: request.name, sub, [field]: slot };
    units.push(unit);
    byName.set(request.name, unit);
  }
  const batches: DuckBatch[] = [];
  const open = new Map<string, DuckBatch>();
  for (const unit of units) {
    const key = `${unit.v4?.address ?? "-"}|${unit.v6?.address ?? "-"}`;
    let batch = open.get(key);
    if (!batch || batch.units.length >= MAX_DOMAINS || batch.units.some((u) => u.sub === unit.sub)) {
      batch = { units: [], query: {} };
      batches.push(batch);
      open.set(key, batch);
    }
    batch.units.push(unit);
  }
  for (const batch of batches) {
    const first = batch.units[0]!;
    batch.query = { domains: batch.units.map((u) => u.sub).join(",") };
    if (first.v4) batch.query.ip = first.v4.address;
    if (first.v6) batch.query.ipv6 = first.v6.address;
  }
  return batches;
}

export function duckSlots(unit: DuckUnit): DuckSlot[] {
  return [unit.v4, unit.v6].filter((s): s is DuckSlot => s !== undefined);
}
