import type { RecordType } from "../../../src/core/family.ts";

/**
 * FreeDNS (freedns.afraid.org) dynamic update v2 on a real loopback port (Bun.serve, port 0), written from
 * freedns.afraid.org/dynamic/v2/ (read 2026-12-02) and cross-checked with ddclient 3.x's `nic_freedns_update` and
 * qdm12/ddns-updater's internal/provider/providers/freedns (the answers they match):
 * `GET /u/<token>/[?address=<ip>]` — the token names one record (one name, one type); the answer is one text line.
 * - unknown token: `ERROR: Unable to locate this record (changed password recently? deleted and re-created this dns
 *   entry?) (double check username/password are correct)` (HTTP 200);
 * - new address: `Updated 1 host(s) <name> to <ip> in 0.123 seconds`; same address: `No IP change detected for
 *   <name> with IP <ip>, skipping update`;
 * - no `address`: the connecting address (here 127.0.0.1, which lets tests catch a client that sends none).
 * The docs are silent on an address of the wrong family and on other query parameters: this fake refuses both
 * (`ERROR: …` / HTTP 400), the strict choice.
 */
export interface FreeDnsRecord {
  name: string;
  type: RecordType;
  content?: string;
}

export interface FakeFreeDnsConfig {
  /** token → the record it updates. */
  tokens: Record<string, FreeDnsRecord>;
  rawAnswer?: { status: number; body: string; headers?: Record<string, string> };
  delayMs?: number;
}

export interface FreeDnsRequestLog {
  path: string;
  query: Record<string, string>;
  userAgent: string;
  body: string;
}

export interface FakeFreeDns {
  url: string;
  config: FakeFreeDnsConfig;
  requests: FreeDnsRequestLog[];
  read(name: string, type: RecordType): string[];
  writes(): number;
  close(): Promise<void>;
}

const V4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const isV6 = (s: string) => s.includes(":") && /^[0-9a-f:.]+$/i.test(s);
const NOT_FOUND = "ERROR: Unable to locate this record (changed password recently? deleted and re-created this dns entry?) (double check username/password are correct)";

export function startFakeFreeDns(options: FakeFreeDnsConfig): FakeFreeDns {
  const config = options;
  const requests: FreeDnsRequestLog[] = [];

  function update(token: string, q: URLSearchParams): { status: number; body: string } {
    if ([...q.keys()].some((k) => k !== "address")) return { status: 400, body: "<html>Bad Request</html>" };
    const record = config.tokens[token];
    if (!record) return { status: 200, body: NOT_FOUND };
    const address = q.get("address") ?? "127.0.0.1";
    const fits = record.type === "A" ? V4.test(address) : isV6(address);
    if (!fits) return { status: 200, body: `ERROR: ${JSON.stringify(address)} is not a valid ${record.type === "A" ? "IPv4" : "IPv6"} address for this record.` };
    const canonical = address.toLowerCase();
    if (record.content === canonical) return { status: 200, body: `No IP change detected for ${record.name} with IP ${canonical}, skipping update` };
    record.content = canonical;
    return { status: 200, body: `Updated 1 host(s) ${record.name} to ${canonical} in 0.123 seconds` };
  }

  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      if (config.delayMs) await Bun.sleep(config.delayMs);
      const url = new URL(request.url);
      const token = /^\/u\/([^/]+)\/$/.exec(url.pathname)?.[1];
      const answer =
        config.rawAnswer ?? (request.method === "GET" && token !== undefined ? update(decodeURIComponent(token), url.searchParams) : { status: 404, body: "<html>Not Found</html>" });
      requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), userAgent: request.headers.get("user-agent") ?? "", body: answer.body });
      return new Response(answer.body, { status: answer.status, headers: { "content-type": "text/plain; charset=UTF-8", ...config.rawAnswer?.headers } });
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    config,
    requests,
    read: (name, type) => Object.values(config.tokens).filter((r) => r.name === name && r.type === type && r.content !== undefined).map((r) => r.content!),
    writes: () => requests.filter((r) => r.body.startsWith("Updated")).length,
    close: async () => {
      await server.stop(true);
    },
  };
}
