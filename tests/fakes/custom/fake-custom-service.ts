import type { RecordType } from "../../../src/core/family.ts";

/**
 * Two made-up services that the `custom` provider must drive from templates alone, written from the examples of
 * docs/providers/custom.md (2026-12-02) — there is no outside documentation: the page IS the specification. Both on
 * a real loopback port (Bun.serve, port 0), strict, every request logged:
 * - a JSON API: `PUT /v1/zones/<zone>/records/<name>/<type>` with `Authorization: Bearer <token>` and
 *   `X-Api-Key: <key>`, `Content-Type: application/json`, body exactly `{"content": "<address>"}`; answers 200
 *   `{"status":"updated"}` or `{"status":"unchanged"}`, 401 `{"error":"invalid token"}`, 404 `{"error":"no such
 *   zone"}` for a zone it does not hold, 422 `{"error":…}` for a body that is not exactly that;
 * - an update URL: `GET /nic/update?hostname=<name>&myip=<address>&token=<token>` answering 200 `good <address>`,
 *   `nochg <address>`, `nohost` or `badip` (the 200-with-a-word style a success regex must tell apart), and 401
 *   `badauth` for a wrong token.
 * Addresses must be of the record type's family.
 */
export interface FakeCustomConfig {
  token: string;
  /** Required as X-Api-Key on the JSON API when set. */
  key?: string;
  zones: string[];
  /** Echo the Authorization header back in every answer (a careless service: the client must redact it). */
  echoCredentials?: boolean;
  rawAnswer?: { status: number; body: string; headers?: Record<string, string> };
}

export interface CustomRequestLog {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  status: number;
}

export interface FakeCustom {
  url: string;
  config: FakeCustomConfig;
  requests: CustomRequestLog[];
  read(name: string, type: RecordType): string[];
  writes(): number;
  close(): Promise<void>;
}

const V4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const fits = (type: string, address: string) => (type === "A" ? V4.test(address) : type === "AAAA" ? address.includes(":") && /^[0-9a-f:.]+$/i.test(address) : false);
const json = (status: number, body: object) => ({ status, body: JSON.stringify(body), type: "application/json" });

export function startFakeCustom(config: FakeCustomConfig): FakeCustom {
  const requests: CustomRequestLog[] = [];
  const records = new Map<string, string>();
  let writes = 0;

  function set(name: string, type: string, address: string): "updated" | "unchanged" {
    const key = `${name.toLowerCase()}/${type}`;
    if (records.get(key) === address.toLowerCase()) return "unchanged";
    records.set(key, address.toLowerCase());
    writes += 1;
    return "updated";
  }

  function jsonApi(request: Request, zone: string, name: string, type: string, text: string) {
    if (request.method !== "PUT") return json(405, { error: "method not allowed" });
    if (request.headers.get("authorization") !== `Bearer ${config.token}` || (config.key !== undefined && request.headers.get("x-api-key") !== config.key)) return json(401, { error: "invalid token" });
    if (!config.zones.includes(zone) || !(name === zone || name.endsWith(`.${zone}`))) return json(404, { error: "no such zone" });
    if (!(request.headers.get("content-type") ?? "").startsWith("application/json")) return json(415, { error: "send application/json" });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return json(422, { error: "body is not JSON" });
    }
    const content = (body as { content?: unknown } | null)?.content;
    if (typeof body !== "object" || body === null || Object.keys(body).join() !== "content" || typeof content !== "string" || !fits(type, content)) return json(422, { error: `body must be {"content": "<${type} address>"}` });
    return json(200, { status: set(name, type, content) });
  }

  function updateUrl(request: Request, q: URLSearchParams) {
    const plain = (body: string) => ({ status: 200, body, type: "text/plain" });
    if (request.method !== "GET" || [...q.keys()].sort().join() !== "hostname,myip,token") return { status: 400, body: "bad request", type: "text/plain" };
    if (q.get("token") !== config.token) return { status: 401, body: "badauth", type: "text/plain" };
    const name = q.get("hostname") ?? "";
    const ip = q.get("myip") ?? "";
    if (!config.zones.some((z) => name === z || name.endsWith(`.${z}`))) return plain("nohost");
    const type = ip.includes(":") ? "AAAA" : "A";
    if (!fits(type, ip)) return plain("badip");
    return plain(`${set(name, type, ip) === "updated" ? "good" : "nochg"} ${ip}`);
  }

  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const url = new URL(request.url);
      const text = await request.text();
      const route = /^\/v1\/zones\/([^/]+)\/records\/([^/]+)\/(A|AAAA)$/.exec(url.pathname);
      let answer = config.rawAnswer
        ? { status: config.rawAnswer.status, body: config.rawAnswer.body, type: "text/plain" }
        : route
          ? jsonApi(request, decodeURIComponent(route[1]!), decodeURIComponent(route[2]!), route[3]!, text)
          : url.pathname === "/nic/update"
            ? updateUrl(request, url.searchParams)
            : { status: 404, body: "<html>Not Found</html>", type: "text/html" };
      if (config.echoCredentials) answer = { ...answer, body: `${answer.body} (you sent ${request.headers.get("authorization") ?? url.searchParams.get("token") ?? ""})` };
      requests.push({ method: request.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: Object.fromEntries(request.headers), body: text, status: answer.status });
      return new Response(answer.body, { status: answer.status, headers: { "content-type": answer.type, ...config.rawAnswer?.headers } });
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    config,
    requests,
    read: (name, type) => {
      const value = records.get(`${name.toLowerCase()}/${type}`);
      return value === undefined ? [] : [value];
    },
    writes: () => writes,
    close: async () => {
      await server.stop(true);
    },
  };
}
