/**
 * The update rules of the token-URL services, each written from the sources its provider names (consulted
 * 2026-12-02): ddnss (ddclient `nic_ddnss_update`, ddns-updater ddnss), GoIP (ddns-updater goip), DD24
 * (domaindiscount24 help "Dynamic DNS", ddclient `nic_keysystems_update`), ZoneEdit (ddclient
 * `nic_zoneedit1_update`, ddns-updater zoneedit), myaddr (ddns-updater myaddr). Strict: a missing or unknown
 * parameter, a wrong secret or an unknown host is refused the way the service refuses it; updates are applied
 * to `records` (one family per request: `ip`/`ip6`, `dnsto`).
 */
export type Records = Map<string, { A?: string; AAAA?: string }>;
export interface TokenService {
  method: "GET" | "POST";
  path: string;
  handle(params: URLSearchParams, user: { name: string; password: string } | undefined, records: Records): { status: number; body: string };
}

const V4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const isV6 = (s: string) => s.includes(":") && /^[0-9a-f:]+$/i.test(s);
const ok = (body: string, status = 200) => ({ status, body });

function only(params: URLSearchParams, allowed: string[]): string | undefined {
  return [...params.keys()].find((k) => !allowed.includes(k));
}

function set(records: Records, host: string, family: "A" | "AAAA", address: string): boolean {
  const held = records.get(host) ?? {};
  const changed = held[family] !== address;
  records.set(host, { ...held, [family]: address });
  return changed;
}

/** One address: `ip` (IPv4) or `ip6` (IPv6), never both, never malformed. */
function oneAddress(params: URLSearchParams, v4Key: string, v6Key?: string): { family: "A" | "AAAA"; address: string } | undefined {
  const v4 = params.get(v4Key);
  const v6 = v6Key ? params.get(v6Key) : null;
  if (v4 !== null && v6 === null && V4.test(v4)) return { family: "A", address: v4 };
  if (v6 !== null && v4 === null && isV6(v6)) return { family: "AAAA", address: v6.toLowerCase() };
  return undefined;
}

export function ddnssService(key: string, hosts: string[]): TokenService {
  return {
    method: "GET",
    path: "/upd.php",
    handle(params, _user, records) {
      if (only(params, ["key", "host", "ip", "ip6"])) return ok("badysys");
      if (params.get("key") !== key) return ok("<html><body>badauth</body></html>");
      const host = params.get("host") ?? "";
      if (!hosts.includes(host)) return ok("<html><body>notfqdn</body></html>");
      const a = oneAddress(params, "ip", "ip6");
      if (!a) return ok("<html><body>badysys</body></html>");
      set(records, host, a.family, a.address);
      return ok("<html><body>good\nUpdated 1 hostname.</body></html>");
    },
  };
}

export function goipService(username: string, password: string, hosts: string[]): TokenService {
  return {
    method: "GET",
    path: "/setip",
    handle(params, _user, records) {
      if (only(params, ["subdomain", "username", "password", "shortResponse", "ip", "ip6"])) return ok("Fehler: unbekannter Parameter", 400);
      if (params.get("username") !== username || params.get("password") !== password) return ok("Zugriff verweigert");
      const host = params.get("subdomain") ?? "";
      const a = oneAddress(params, "ip", "ip6");
      if (!hosts.includes(host) || !a || params.get("shortResponse") !== "true") return ok("Fehler");
      set(records, host, a.family, a.address);
      return ok(`${host} (${a.address})`);
    },
  };
}

export function dd24Service(passwords: Record<string, string>): TokenService {
  return {
    method: "GET",
    path: "/update.php",
    handle(params, _user, records) {
      const host = params.get("hostname") ?? "";
      if (only(params, ["hostname", "password", "ip", "mx"]) || !V4.test(params.get("ip") ?? "")) return ok("[RESPONSE]\ncode = 504\ndescription = Parameter value policy error\n");
      if (passwords[host] === undefined || passwords[host] !== params.get("password")) return ok("[RESPONSE]\ncode = 531\ndescription = Authorization failed\n");
      set(records, host, "A", params.get("ip")!);
      return ok("[RESPONSE]\ncode = 200\ndescription = Command completed successfully\n");
    },
  };
}

export function zoneEditService(username: string, token: string, hosts: string[]): TokenService {
  return {
    method: "GET",
    path: "/auth/dynamic.html",
    handle(params, user, records) {
      if (!user || user.name !== username || user.password !== token) return ok('<ERROR CODE="708" TEXT="Failed login: ' + (user?.name ?? "") + '">');
      const host = params.get("host") ?? "";
      const ip = params.get("dnsto") ?? "";
      if (only(params, ["host", "dnsto", "zone"]) || !hosts.includes(host) || !V4.test(ip)) return ok(`<ERROR CODE="709" TEXT="Invalid hostname: ${host}" ZONE="">`);
      const changed = set(records, host, "A", ip);
      if (!changed) return ok(`<ERROR CODE="707" TEXT="Duplicate updates for the same host/ip, adjust client settings" ZONE="" HOST="${host}">`);
      return ok(`<SUCCESS CODE="200" TEXT="Update succeeded." ZONE="example.net" HOST="${host}" IP="${ip}">`);
    },
  };
}

/** myaddr: the key names the host (`host`), no host name in the request. */
export function myaddrService(key: string, host: string): TokenService {
  return {
    method: "POST",
    path: "/update",
    handle(params, _user, records) {
      if (params.get("key") !== key) return ok("key not found", 404);
      const a = oneAddress(params, "ip");
      const v6 = params.get("ip") ?? "";
      if (only(params, ["key", "ip"])) return ok("unknown parameter", 400);
      if (a) set(records, host, a.family, a.address);
      else if (isV6(v6)) set(records, host, "AAAA", v6.toLowerCase());
      else return ok("invalid ip", 400);
      return ok("OK");
    },
  };
}
