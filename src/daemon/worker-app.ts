import { Hono } from "hono";
import { loadConfig, targetSecrets } from "../config/load-config.ts";
import type { Config } from "../config/types.ts";
import { ConfigError } from "../core/errors.ts";
import { createLogger, type Logger } from "../log/logger.ts";
import { cloudflare } from "../providers/cloudflare/descriptor.ts";
import { createCatalogue } from "../providers/kit/catalogue.ts";
import { fromCloudflareEdge } from "../update-server/client-address.ts";
import { answers, toResponse } from "../update-server/answers.ts";
import { createUpdateApp, UPDATE_PATH } from "../update-server/update-app.ts";
import { createWorkerBackend } from "./worker-engine.ts";

/**
 * The Worker's app, built from its bindings: the same `DDNS_*` names and checks as the daemon (loadConfig), with
 * the endpoint always on, the Cloudflare provider through ofetch, and the caller's address from `CF-Connecting-IP`.
 * Everything here is plain Web API, so the daemon's tsc checks it too; src/worker.ts adds the Workers types.
 *
 *   GET /nic/update  the DynDNS2 endpoint
 *   GET /healthz     `ok`, or the configuration error (never a secret) with 500
 */
export interface WorkerWorld {
  fetch: typeof fetch;
  now: () => number;
  /** Where log lines go (Workers: console.log, seen by `wrangler tail` and Workers Logs). */
  write: (line: string) => void;
}

/** The providers a Worker runs: HTTP APIs only (no sockets in workerd), so the bundle holds no other provider. */
export const WORKER_PROVIDERS = createCatalogue([cloudflare]);

/** What the Workers runtime hands each request besides it (`ExecutionContext`): work to keep alive after the answer. */
export interface RequestContext {
  waitUntil(work: Promise<unknown>): void;
}

export type WorkerApp = { fetch: (req: Request, ctx?: RequestContext) => Response | Promise<Response> };

/**
 * The app lives as long as the isolate and serves many requests; a delivery belongs to the request whose update
 * caused it. Each request's context counts as live until its answer is ready, and work handed to `waitUntil` is
 * tied to every live one (a notification is enqueued during its own request's round, so that one is among them).
 */
function requestLifetimes() {
  const live = new Set<RequestContext>();
  return {
    waitUntil: (work: Promise<void>) => live.forEach((ctx) => ctx.waitUntil(work)),
    async during(ctx: RequestContext | undefined, answer: () => Response | Promise<Response>): Promise<Response> {
      if (ctx) live.add(ctx);
      try {
        return await answer();
      } finally {
        if (ctx) live.delete(ctx);
      }
    },
  };
}

/** String bindings only (KV namespaces and the like are objects and no business of the config). */
export function stringBindings(env: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((env ?? {}) as Record<string, unknown>)) if (typeof v === "string") out[k] = v;
  return out;
}

/** The daemon's configuration rules, with what a Worker cannot have ruled out first. */
export function loadWorkerConfig(bindings: Record<string, string>): { config: Config; warnings: string[] } {
  for (const name of ["DDNS_PROVIDER_API_TOKEN_FILE", "DDNS_UPDATE_PASSWORD_FILE"]) {
    if (bindings[name]) {
      const secret = name.replace(/_FILE$/, "");
      throw new ConfigError(name, `${name} cannot be used in a Worker (no files); store the secret with "wrangler secret put ${secret}".`);
    }
  }
  // The router source asks a LAN device over UDP; a Worker has neither: its addresses come from /nic/update.
  for (const name of ["DDNS_IP_SOURCE_TYPE", "DDNS_IP_SOURCE_TYPE_V4", "DDNS_IP_SOURCE_TYPE_V6"]) {
    if (bindings[name]?.trim().toLowerCase() === "router") {
      throw new ConfigError(name, `${name}=router cannot be used in a Worker (no UDP, no LAN to ask): the Worker takes addresses from /nic/update; remove ${name}.`);
    }
  }
  const env = { DDNS_PROVIDER_TYPE: "cloudflare", ...bindings, DDNS_IP_SOURCE_TYPE: "push", DDNS_HTTP_ADDR: undefined };
  const loaded = loadConfig({ env, readFile: () => "", providers: WORKER_PROVIDERS });
  const type = loaded.config.targets[0]!.provider.type;
  if (type !== "cloudflare") {
    throw new ConfigError("DDNS_PROVIDER_TYPE", `DDNS_PROVIDER_TYPE must be cloudflare in the Worker (got ${JSON.stringify(type)}).`);
  }
  return loaded;
}

export function createWorkerApp(bindings: Record<string, string>, world: WorkerWorld): WorkerApp {
  let loaded: ReturnType<typeof loadWorkerConfig>;
  try {
    loaded = loadWorkerConfig(bindings);
  } catch (error) {
    const message = error instanceof ConfigError ? `Configuration error: ${error.message}` : "Configuration error: the bindings could not be read";
    world.write(JSON.stringify({ level: "error", msg: message }));
    return brokenApp(message);
  }
  const { config, warnings } = loaded;
  const edge = config.updateServer!;
  const log: Logger = createLogger({ level: config.log.level, format: "json", write: world.write, secrets: [...targetSecrets(config, WORKER_PROVIDERS), edge.password] });
  for (const w of warnings) log.warn(w);
  if (edge.clientIpHeader) log.warn("DDNS_UPDATE_CLIENT_IP_HEADER is ignored in the Worker: the caller is CF-Connecting-IP, set by Cloudflare's edge.");
  const lifetimes = requestLifetimes();
  const backend = createWorkerBackend(config, { fetch: world.fetch, now: world.now, log, waitUntil: lifetimes.waitUntil }, WORKER_PROVIDERS);
  const app = new Hono();
  app.get("/healthz", (c) => c.text("ok"));
  app.route("/", createUpdateApp({ settings: edge, backend, allowPrivate: config.allowPrivate, clientAddress: fromCloudflareEdge, log, now: world.now }));
  app.notFound((c) => c.text("not found", 404));
  app.onError((_error, c) => c.text("internal error", 500));
  return { fetch: (req, ctx) => lifetimes.during(ctx, () => app.fetch(req)) };
}

/** A Worker whose bindings are wrong still answers: `911` to updates, the reason on /healthz. */
function brokenApp(message: string): WorkerApp {
  return {
    fetch(req) {
      const path = new URL(req.url).pathname;
      if (path === UPDATE_PATH) return toResponse(answers.unavailable());
      if (path === "/healthz") return new Response(`${message}\n`, { status: 500, headers: { "Content-Type": "text/plain; charset=utf-8" } });
      return new Response("not found\n", { status: 404 });
    },
  };
}
