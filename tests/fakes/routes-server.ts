/**
 * A real HTTP server on a loopback port answering from a table of routes (path → handler), logging every
 * request it received. For tests of HTTP clients against answers no real service gives on demand.
 */
export type Route = (req: Request, url: URL) => Response | Promise<Response>;

export interface SeenRequest {
  method: string;
  /** Path and query. */
  path: string;
  headers: Headers;
  body: string;
}

export interface RoutesServer {
  /** `http://HOST:PORT`. */
  origin: string;
  seen: SeenRequest[];
  stop(): Promise<void>;
}

export function serveRoutes(routes: Record<string, Route>, hostname = "127.0.0.1"): RoutesServer {
  const seen: SeenRequest[] = [];
  const server = Bun.serve({
    port: 0,
    hostname,
    idleTimeout: 0,
    async fetch(req) {
      const url = new URL(req.url);
      seen.push({ method: req.method, path: `${url.pathname}${url.search}`, headers: req.headers, body: await req.clone().text() });
      const route = routes[url.pathname];
      return route ? route(req, url) : new Response("no such route\n", { status: 404 });
    },
  });
  return { origin: `http://${hostname}:${server.port}`, seen, stop: () => server.stop(true) };
}
