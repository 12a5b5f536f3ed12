import type { RecordType } from "../../../src/core/family.ts";
import { handleUpdate, type Answer, type FakeDynDns2Config, type FakeRecords } from "./fake-dyndns2-logic.ts";

/**
 * A DynDNS2 service on a real loopback port (Bun.serve, port 0): HTTP Basic auth, the update endpoint, records
 * held per hostname, and a log of every request for assertions. The configuration may be changed between requests
 * (e.g. set `fault = "911"`) through `config`.
 */
export interface LoggedRequest {
  path: string;
  query: Record<string, string>;
  user?: string;
  authorization?: string;
  userAgent: string;
  status: number;
  body: string;
}

export interface FakeDynDns2 {
  /** Base URL, e.g. `http://127.0.0.1:40123` (the provider appends `/nic/update`). */
  url: string;
  config: FakeDynDns2Config;
  records: Map<string, FakeRecords>;
  requests: LoggedRequest[];
  /** What the service holds for (name, type). */
  read(name: string, type: RecordType): string[];
  /** Update requests received so far (any answer). */
  writes(): number;
  close(): Promise<void>;
}

export interface StartOptions extends Partial<FakeDynDns2Config> {
  /** Path of the update endpoint; default `/nic/update`. */
  path?: string;
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
}

export function startFakeDynDns2(options: StartOptions = {}): FakeDynDns2 {
  const { path = "/nic/update", delayMs = 0, ...rest } = options;
  const config: FakeDynDns2Config = { users: { alice: "s3cret-pass" }, hosts: [], ...rest };
  const records = new Map<string, FakeRecords>();
  const requests: LoggedRequest[] = [];

  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      if (delayMs > 0) await Bun.sleep(delayMs);
      const url = new URL(request.url);
      const authorization = request.headers.get("authorization") ?? undefined;
      const user = parseBasic(authorization);
      const userAgent = request.headers.get("user-agent") ?? "";
      let answer: Answer;
      if (request.method !== "GET") answer = { status: 405, body: "method not allowed" };
      else if (url.pathname !== path) answer = { status: 404, body: "<html><body>Not Found</body></html>" };
      else answer = handleUpdate(config, records, url.searchParams, user, userAgent);
      requests.push({
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        ...(user ? { user: user.name } : {}),
        ...(authorization ? { authorization } : {}),
        userAgent,
        status: answer.status,
        body: answer.body,
      });
      return new Response(answer.body, {
        status: answer.status,
        headers: { "content-type": "text/plain; charset=utf-8", ...answer.headers },
      });
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    config,
    records,
    requests,
    read: (name, type) => {
      const value = records.get(name)?.[type];
      return value === undefined ? [] : [value];
    },
    writes: () => requests.filter((r) => r.path === path).length,
    close: async () => {
      await server.stop(true);
    },
  };
}

function parseBasic(header: string | undefined): { name: string; password: string } | undefined {
  if (!header?.startsWith("Basic ")) return undefined;
  const bytes = Uint8Array.from(atob(header.slice(6)), (c) => c.charCodeAt(0));
  const decoded = new TextDecoder().decode(bytes);
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** A loopback URL where nothing listens (a server is started and stopped to find a free port). */
export async function unreachableUrl(): Promise<string> {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("") });
  const url = `http://127.0.0.1:${server.port}`;
  await server.stop(true);
  return url;
}
