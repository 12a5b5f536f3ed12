/**
 * A fake "what is my IP" service answering a settable address, in both forms ddnsd reads: a bare address, and
 * Cloudflare's `/cdn-cgi/trace` (`key=value` lines with `ip=`). Bun-only (tests and the demo).
 *
 *   GET /v4, /v6                         the bare address ("203.0.113.7\n")
 *   GET /v4/cdn-cgi/trace, /v6/cdn-cgi/trace, /cdn-cgi/trace (IPv4)   the trace form
 *   PUT /_control/ip?v4=…&v6=…           sets the addresses (an empty value: answer 503, as if the service failed)
 *   GET /_control/ip                     { v4, v6, hits }
 *
 * Run alone: `bun tests/fakes/ip-echo.ts [--port N] [--v4 A] [--v6 B]` prints its URL.
 */

export interface IpEchoOptions {
  v4?: string;
  v6?: string;
  port?: number;
  hostname?: string;
}

export interface IpEcho {
  /** Answers the echo and control paths; undefined for any other path (so it can share a server). */
  handle(req: Request): Response | undefined;
  set(addresses: { v4?: string; v6?: string }): void;
  hits(): number;
}

export interface IpEchoServer extends IpEcho {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function trace(ip: string): string {
  const lines = {
    fl: "000f000", h: "ip-echo.test", ip, ts: (Date.now() / 1000).toFixed(3), visit_scheme: "http", uag: "ddnsd-test",
    colo: "TST", sliver: "none", http: "http/1.1", loc: "ZZ", tls: "off", sni: "off", warp: "off", gateway: "off", rbi: "off", kex: "none",
  };
  return `${Object.entries(lines).map(([k, v]) => `${k}=${v}`).join("\n")}\n`;
}

export function createIpEcho(options: IpEchoOptions = {}): IpEcho {
  const addresses = { v4: options.v4 ?? "203.0.113.7", v6: options.v6 ?? "2001:db8::7" };
  let hits = 0;
  const text = (body: string, status = 200) => new Response(body, { status, headers: { "Content-Type": "text/plain" } });
  return {
    handle(req) {
      const url = new URL(req.url);
      if (url.pathname === "/_control/ip") {
        if (req.method === "PUT" || req.method === "POST") {
          for (const family of ["v4", "v6"] as const) {
            const value = url.searchParams.get(family);
            if (value !== null) addresses[family] = value;
          }
        }
        return Response.json({ ...addresses, hits });
      }
      const m = /^\/(?:(v4|v6)\/?)?(cdn-cgi\/trace)?$/.exec(url.pathname);
      if (!m || (!m[1] && !m[2]) || req.method !== "GET") return undefined;
      hits++;
      const ip = addresses[(m[1] ?? "v4") as "v4" | "v6"];
      if (ip === "") return text("service unavailable\n", 503);
      return text(m[2] ? trace(ip) : `${ip}\n`);
    },
    set(next) {
      if (next.v4 !== undefined) addresses.v4 = next.v4;
      if (next.v6 !== undefined) addresses.v6 = next.v6;
    },
    hits: () => hits,
  };
}

export function startIpEcho(options: IpEchoOptions = {}): IpEchoServer {
  const echo = createIpEcho(options);
  const server = Bun.serve({
    port: options.port ?? 0,
    hostname: options.hostname ?? "127.0.0.1",
    fetch: (req) => echo.handle(req) ?? new Response("not found\n", { status: 404 }),
  });
  const url = `http://${server.hostname}:${server.port}`;
  return { ...echo, url, port: server.port ?? 0, stop: () => server.stop(true) };
}

if (import.meta.main) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const echo = startIpEcho({ port: Number(arg("port") ?? process.env.IP_ECHO_PORT ?? 0), v4: arg("v4"), v6: arg("v6") });
  console.log(`IP_ECHO_URL=${echo.url}`);
}
