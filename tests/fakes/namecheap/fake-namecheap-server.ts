import type { RecordType } from "../../../src/core/family.ts";

/**
 * Namecheap dynamic DNS on a real loopback port (Bun.serve, port 0), written from the namecheap.com knowledge base
 * articles "How do I use a browser to dynamically update the host's IP?" and "How do I set up a Host for Dynamic
 * DNS?" (read 2026-12-02), cross-checked with ddclient 3.x's `nic_namecheap_update` and qdm12/ddns-updater's
 * internal/provider/providers/namecheap:
 * `GET /update?host=<host>&domain=<domain>&password=<Dynamic DNS password>[&ip=<IPv4>]`.
 * - `host` is `@` for the domain itself, `*` for the wildcard, else the labels below the domain; the host must
 *   already exist as an A record (the knowledge base: create it first), else `No Records updated. A record not
 *   Found;`. The password is per domain (`Passwords do not match`); an unknown domain is `Domain name not found`.
 * - No `ip`: the connecting address (here 127.0.0.1, which lets tests catch a client that sends none).
 * - Every answer is HTTP 200 with an `<interface-response>` XML document (`ErrCount`, `errors/Err1`, `IP`, `Done`).
 * The docs are silent on IPv6 in `ip` and on other query parameters: this fake refuses both (`Invalid IP` / HTTP
 * 400), the strict choice; it keeps only A records.
 */
export interface FakeNamecheapConfig {
  /** domain → its Dynamic DNS password and the hosts that exist (with their address, if any). */
  domains: Record<string, { password: string; hosts: Record<string, string | undefined> }>;
  rawAnswer?: { status: number; body: string; headers?: Record<string, string> };
  delayMs?: number;
}

export interface NamecheapRequestLog {
  path: string;
  query: Record<string, string>;
  userAgent: string;
  body: string;
}

export interface FakeNamecheap {
  url: string;
  config: FakeNamecheapConfig;
  requests: NamecheapRequestLog[];
  read(name: string, type: RecordType): string[];
  writes(): number;
  close(): Promise<void>;
}

const V4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export function namecheapXml(o: { error?: { text: string; number: number }; ip?: string }): string {
  const errors = o.error ? `<errors><Err1>${o.error.text}</Err1></errors>` : "<errors />";
  const responses = o.error ? `<ResponseCount>1</ResponseCount><responses><response><ResponseNumber>${o.error.number}</ResponseNumber><ResponseString>Validation error</ResponseString></response></responses>` : "<ResponseCount>0</ResponseCount><responses />";
  const ip = o.ip ? `<IP>${o.ip}</IP>` : "";
  return `<?xml version="1.0" encoding="utf-16"?>\r\n<interface-response><Command>SETDNSHOST</Command><Language>eng</Language>${ip}<ErrCount>${o.error ? 1 : 0}</ErrCount>${errors}${responses}<Done>true</Done><debug><![CDATA[]]></debug></interface-response>`;
}

export function startFakeNamecheap(config: FakeNamecheapConfig): FakeNamecheap {
  const requests: NamecheapRequestLog[] = [];
  let writes = 0;

  function update(q: URLSearchParams): { status: number; body: string } {
    if ([...q.keys()].some((k) => !["host", "domain", "password", "ip"].includes(k))) return { status: 400, body: "<html>Bad Request</html>" };
    const domain = config.domains[(q.get("domain") ?? "").toLowerCase()];
    if (!domain) return { status: 200, body: namecheapXml({ error: { text: "Domain name not found", number: 316153 } }) };
    if (q.get("password") !== domain.password) return { status: 200, body: namecheapXml({ error: { text: "Passwords do not match", number: 304156 } }) };
    const host = (q.get("host") ?? "").toLowerCase();
    if (!(host in domain.hosts)) return { status: 200, body: namecheapXml({ error: { text: "No Records updated. A record not Found;", number: 380091 } }) };
    const ip = q.get("ip") ?? "127.0.0.1";
    if (!V4.test(ip)) return { status: 200, body: namecheapXml({ error: { text: "Invalid IP", number: 304155 } }) };
    domain.hosts[host] = ip;
    writes += 1;
    return { status: 200, body: namecheapXml({ ip }) };
  }

  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      if (config.delayMs) await Bun.sleep(config.delayMs);
      const url = new URL(request.url);
      const answer = config.rawAnswer ?? (request.method === "GET" && url.pathname === "/update" ? update(url.searchParams) : { status: 404, body: "<html>Not Found</html>" });
      requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), userAgent: request.headers.get("user-agent") ?? "", body: answer.body });
      return new Response(answer.body, { status: answer.status, headers: { "content-type": "text/html; charset=utf-8", ...config.rawAnswer?.headers } });
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    config,
    requests,
    read(name, type) {
      if (type !== "A") return [];
      for (const [domain, { hosts }] of Object.entries(config.domains)) {
        const host = name === domain ? "@" : name.endsWith(`.${domain}`) ? name.slice(0, -domain.length - 1) : undefined;
        const value = host === undefined ? undefined : hosts[host];
        if (value !== undefined) return [value];
      }
      return [];
    },
    writes: () => writes,
    close: async () => {
      await server.stop(true);
    },
  };
}
