/**
 * The update logic of a DynDNS2 service, written from the published protocol (Dyn "Perform Update" and "Return
 * Codes", No-IP "Request Method"/"Interpret Response", deSEC "IP Update API"), with the quirks of the services
 * of src/providers/dyndns2/services-more.ts as their pages say them (consulted 2026-12-02: selfHOST "API Update
 * Schnittstelle" statuses, spDYN "Rückgabecodes", DNS-O-Matic API 0.9, HE's per-record keys, ChangeIP's answer as
 * ddclient reads it). Pure: the server wraps it.
 *
 * Order of checks, as the services document them: credentials (`badauth`), user agent (`badagent`), account and
 * system faults (given once), hostname list (`notfqdn` when empty, `numhost` above the limit), then one line per
 * hostname in request order: a configured code, `nohost` for names outside the account, else `good`/`nochg`.
 */
export interface FakeDynDns2Config {
  /** user name → password (token). */
  users: Record<string, string>;
  /** Hostnames that exist in the account (records start empty). */
  hosts: string[];
  /** A fixed answer code per hostname (`abuse`, `!yours`, `notfqdn`, …). */
  hostCodes?: Record<string, string>;
  /** An answer given once for the whole request (`911`, `dnserr`, `!donator`), after auth and agent checks. */
  fault?: string;
  /** How IPv6 is accepted: its own `myipv6` parameter, inside `myip`, or not at all. Default `myipv6`. */
  ipv6Param?: "myipv6" | "myip" | null;
  /** The value that keeps a family unchanged (`preserve`, `no`). */
  keepValue?: string;
  /** deSEC: a family that is not sent is deleted (unless `keepValue` is sent). */
  deleteMissing?: boolean;
  /** deSEC: failures come as HTTP status codes (401, 404) with an empty body, success as plain `good`. */
  statusErrors?: boolean;
  /** Hostnames allowed per request; more → `numhost`. Default 20. */
  maxHosts?: number;
  /** Query parameters every request must carry (OVH `system=dyndns`); otherwise `badsys`. */
  requiredQuery?: Record<string, string>;
  /** The address parameter when it is not `myip` (ChangeIP: `ip`). */
  ipParam?: string;
  /** Hurricane Electric: the user name must be the (single) hostname; `users` maps hostnames to their keys. */
  hostUser?: boolean;
  /** How the service words a code instead (selfHOST: `nochg` → HTTP 204; ChangeIP: `good` → "200 Successful Update"). */
  answerAs?: Record<string, Answer>;
  /** Answer this for every request instead (garbage, HTML, 429, 500…). */
  rawAnswer?: { status: number; body: string; headers?: Record<string, string> };
}

export interface FakeRecords {
  A?: string;
  AAAA?: string;
}

export interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

const V4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const isV6 = (s: string) => s.includes(":") && /^[0-9a-f:.]+$/i.test(s) && (s.match(/::/g) ?? []).length <= 1;

type User = { name: string; password: string } | undefined;

export function handleUpdate(config: FakeDynDns2Config, records: Map<string, FakeRecords>, query: URLSearchParams, user: User, userAgent: string): Answer {
  const answer = handleDynDns2(config, records, query, user, userAgent);
  const code = answer.body.split(/\s/)[0] ?? "";
  return config.rawAnswer ? answer : (config.answerAs?.[code] ?? answer);
}

function handleDynDns2(config: FakeDynDns2Config, records: Map<string, FakeRecords>, query: URLSearchParams, user: User, userAgent: string): Answer {
  if (config.rawAnswer) return config.rawAnswer;
  if (config.hostUser && user && user.name !== (query.get("hostname") ?? "").toLowerCase()) return { status: 401, body: "badauth" };
  const text = (body: string, status = 200): Answer => ({ status, body });
  if (!user || config.users[user.name] !== user.password) return text(config.statusErrors ? "" : "badauth", 401);
  if (userAgent.trim() === "") return text("badagent");
  for (const [key, value] of Object.entries(config.requiredQuery ?? {})) {
    if (query.get(key) !== value) return text("badsys");
  }
  if (config.fault) return text(config.fault);
  const hostnames = (query.get("hostname") ?? "").split(",").map((h) => h.trim().toLowerCase()).filter((h) => h);
  if (hostnames.length === 0) return text("notfqdn");
  if (hostnames.length > (config.maxHosts ?? 20)) return text("numhost");

  const wanted = readAddresses(config, query);
  if (typeof wanted === "string") return text(wanted, 400);

  const lines: string[] = [];
  for (const host of hostnames) {
    const fixed = config.hostCodes?.[host];
    if (fixed) lines.push(fixed);
    else if (!host.includes(".")) lines.push("notfqdn");
    else if (!config.hosts.includes(host)) {
      if (config.statusErrors) return text("", 404);
      lines.push("nohost");
    } else lines.push(applyUpdate(config, records, host, wanted));
  }
  return text(config.statusErrors ? "good" : lines.join("\n"));
}

type Wanted = { A?: string | null; AAAA?: string | null };

/** What to set per family: an address, `null` (delete), or absent (keep). A string result is a 400 body. */
function readAddresses(config: FakeDynDns2Config, query: URLSearchParams): Wanted | string {
  const mode = config.ipv6Param === undefined ? "myipv6" : config.ipv6Param;
  const wanted: Wanted = {};
  const myip = query.get(config.ipParam ?? "myip");
  const myipv6 = mode === "myipv6" ? query.get("myipv6") : null;
  if (myip !== null && myip !== config.keepValue) {
    if (V4.test(myip)) wanted.A = myip;
    else if (mode === "myip" && isV6(myip)) wanted.AAAA = myip.toLowerCase();
    else return `badrequest: invalid myip ${JSON.stringify(myip)}`;
  }
  if (myipv6 !== null && myipv6 !== config.keepValue) {
    if (!isV6(myipv6)) return `badrequest: invalid myipv6 ${JSON.stringify(myipv6)}`;
    wanted.AAAA = myipv6.toLowerCase();
  }
  if (config.deleteMissing) {
    if (myip === null && wanted.A === undefined) wanted.A = null;
    if (myipv6 === null && wanted.AAAA === undefined) wanted.AAAA = null;
  }
  return wanted;
}

function applyUpdate(config: FakeDynDns2Config, records: Map<string, FakeRecords>, host: string, wanted: Wanted): string {
  const current = records.get(host) ?? {};
  const next: FakeRecords = { ...current };
  for (const type of ["A", "AAAA"] as const) {
    const value = wanted[type];
    if (value === null) delete next[type];
    else if (value !== undefined) next[type] = value;
  }
  const changed = next.A !== current.A || next.AAAA !== current.AAAA;
  records.set(host, next);
  const shown = [wanted.A, wanted.AAAA].filter((a): a is string => typeof a === "string").join(",");
  if (config.statusErrors) return "good";
  return `${changed ? "good" : "nochg"}${shown ? ` ${shown}` : ""}`;
}
