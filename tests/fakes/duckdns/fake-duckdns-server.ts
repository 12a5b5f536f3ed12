import type { RecordType } from "../../../src/core/family.ts";

/**
 * DuckDNS on a real loopback port (Bun.serve, port 0), written from www.duckdns.org/spec.jsp:
 * `GET /update?domains=<subs>&token=<token>[&ip=][&ipv6=][&verbose=true][&clear=true]`.
 * - `domains`: comma-separated subnames (a trailing `.duckdns.org` is accepted); every one must belong to the token.
 * - `ip`: IPv4 or IPv6; left out (and no `ipv6`), the connecting address is used — here 127.0.0.1, which lets tests
 *   catch a client that sends no address. `ipv6`: an IPv6 address; when given, `ip` is not auto-detected.
 * - Answers `OK` or `KO` (HTTP 200 either way); with `verbose=true`: `OK\n<ipv4>\n<ipv6>\nUPDATED|NOCHANGE`.
 */
export interface FakeDuckDnsConfig {
  token: string;
  /** Subnames that belong to the token. */
  domains: string[];
  /** Answer this for every request instead (HTML, 429, garbage…). */
  rawAnswer?: { status: number; body: string; headers?: Record<string, string> };
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
  /** Answer plain `OK`/`KO` even when `verbose=true` is asked (the short form a client must read as well). */
  plainAnswers?: boolean;
}

export interface DuckRequestLog {
  path: string;
  query: Record<string, string>;
  userAgent: string;
  body: string;
}

export interface FakeDuckDns {
  url: string;
  config: FakeDuckDnsConfig;
  records: Map<string, { A?: string; AAAA?: string }>;
  requests: DuckRequestLog[];
  read(name: string, type: RecordType): string[];
  writes(): number;
  close(): Promise<void>;
}

const V4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const isV6 = (s: string) => s.includes(":") && /^[0-9a-f:.]+$/i.test(s);
const subOf = (name: string) => name.toLowerCase().replace(/\.duckdns\.org$/, "");

export function startFakeDuckDns(options: Partial<FakeDuckDnsConfig> = {}): FakeDuckDns {
  const config: FakeDuckDnsConfig = { token: "a7c4d0ad-114e-40ef-ba1d-d217904a50f2", domains: [], ...options };
  const records = new Map<string, { A?: string; AAAA?: string }>();
  const requests: DuckRequestLog[] = [];

  function update(q: URLSearchParams): string {
    const subs = (q.get("domains") ?? "").split(",").map((d) => subOf(d.trim())).filter((d) => d !== "");
    if (q.get("token") !== config.token || subs.length === 0 || subs.some((s) => !config.domains.includes(s))) return "KO";
    const ip = q.get("ip") ?? "";
    const ipv6 = q.get("ipv6") ?? "";
    const next: { A?: string; AAAA?: string } = {};
    if (ip !== "") {
      if (V4.test(ip)) next.A = ip;
      else if (isV6(ip)) next.AAAA = ip.toLowerCase();
      else return "KO";
    } else if (ipv6 === "") next.A = "127.0.0.1";
    if (ipv6 !== "") {
      if (!isV6(ipv6)) return "KO";
      next.AAAA = ipv6.toLowerCase();
    }
    let changed = false;
    for (const sub of subs) {
      const current = records.get(sub) ?? {};
      const merged = q.get("clear") === "true" ? {} : { ...current, ...next };
      changed ||= merged.A !== current.A || merged.AAAA !== current.AAAA;
      records.set(sub, merged);
    }
    if (q.get("verbose") !== "true" || config.plainAnswers) return "OK";
    return ["OK", next.A ?? "", next.AAAA ?? "", changed ? "UPDATED" : "NOCHANGE"].join("\n");
  }

  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      if (config.delayMs) await Bun.sleep(config.delayMs);
      const url = new URL(request.url);
      const answer = config.rawAnswer ?? (url.pathname === "/update" ? { status: 200, body: update(url.searchParams) } : { status: 404, body: "<html>Not Found</html>" });
      requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), userAgent: request.headers.get("user-agent") ?? "", body: answer.body });
      return new Response(answer.body, { status: answer.status, headers: { "content-type": "text/plain;charset=UTF-8", ...config.rawAnswer?.headers } });
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    config,
    records,
    requests,
    read: (name, type) => {
      const value = records.get(subOf(name))?.[type];
      return value === undefined ? [] : [value];
    },
    writes: () => requests.filter((r) => r.path === "/update").length,
    close: async () => {
      await server.stop(true);
    },
  };
}
