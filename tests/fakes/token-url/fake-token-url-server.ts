import type { RecordType } from "../../../src/core/family.ts";
import type { TokenService } from "./token-services.ts";

/**
 * A token-URL dynamic-DNS service on a loopback port (Bun.serve, port 0): one update endpoint whose rules come
 * from a `TokenService` (token-services.ts: each service's documented parameters and answers), records per host
 * name, and a log of every request. Anything but the service's method and path is a 404 page.
 */
export interface TokenRequest {
  method: string;
  path: string;
  /** Query parameters, or the form of a POST. */
  params: Record<string, string>;
  user?: string;
  status: number;
  body: string;
}

export interface FakeTokenUrl {
  url: string;
  requests: TokenRequest[];
  records: Map<string, { A?: string; AAAA?: string }>;
  read(name: string, type: RecordType): string[];
  writes(): number;
  /** Answer this instead of the service's rules (faults). */
  fault: { status: number; body: string } | undefined;
  close(): Promise<void>;
}

export function startFakeTokenUrl(service: TokenService): FakeTokenUrl {
  const records = new Map<string, { A?: string; AAAA?: string }>();
  const requests: TokenRequest[] = [];
  const fake: FakeTokenUrl = {
    url: "",
    requests,
    records,
    fault: undefined,
    read: (name, type) => {
      const value = records.get(name)?.[type];
      return value === undefined ? [] : [value];
    },
    writes: () => requests.filter((r) => r.path === service.path).length,
    close: async () => {
      await server.stop(true);
    },
  };
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const url = new URL(request.url);
      const params = request.method === "POST" ? new URLSearchParams(await request.text()) : url.searchParams;
      const user = basicUser(request.headers.get("authorization"));
      const answer =
        request.method !== service.method || url.pathname !== service.path
          ? { status: 404, body: "<html><body>Not Found</body></html>" }
          : (fake.fault ?? service.handle(params, user, records));
      requests.push({ method: request.method, path: url.pathname, params: Object.fromEntries(params), ...(user ? { user: user.name } : {}), ...answer });
      return new Response(answer.body, { status: answer.status, headers: { "content-type": "text/plain; charset=utf-8" } });
    },
  });
  fake.url = `http://127.0.0.1:${server.port}`;
  return fake;
}

function basicUser(header: string | null): { name: string; password: string } | undefined {
  if (!header?.startsWith("Basic ")) return undefined;
  const decoded = new TextDecoder().decode(Uint8Array.from(atob(header.slice(6)), (c) => c.charCodeAt(0)));
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
