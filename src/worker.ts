/// <reference types="@cloudflare/workers-types" />
import { createWorkerApp, stringBindings, type WorkerApp } from "./daemon/worker-app.ts";
import { workerdFetch } from "./runtime/workerd-fetch.ts";

/**
 * The Cloudflare Worker entry: the DynDNS2 update endpoint at the edge (docs/edge.md, wrangler.toml).
 * Typed with @cloudflare/workers-types through tsconfig.worker.json; the daemon's tsconfig excludes this file, so
 * Workers types never enter the daemon's type environment.
 *
 * State lives in the isolate: the app (its lockout and rate-limit counters, the addresses it confirmed) is built
 * on the first request and kept while the bindings stay the same. Cloudflare's DNS, read through the provider on
 * every change, stays the source of truth; a fresh isolate simply asks it again.
 */
export interface Env {
  /** Secrets (`wrangler secret put`): the Cloudflare API token and the routers' password. */
  DDNS_PROVIDER_API_TOKEN: string;
  DDNS_UPDATE_PASSWORD: string;
  /** Plain variables ([vars] in wrangler.toml). */
  DDNS_UPDATE_USERNAME: string;
  DDNS_RECORDS: string;
  DDNS_IP_VERSIONS?: string;
  DDNS_RECORD_TTL?: string;
  DDNS_RECORD_PROXIED?: string;
  DDNS_UPDATE_LOCKOUT?: string;
  DDNS_UPDATE_RATE_LIMIT?: string;
  DDNS_VERIFY_INTERVAL?: string;
  DDNS_LOG_LEVEL?: string;
  /** Only for tests against an API-compatible fake; production uses Cloudflare's API. */
  DDNS_PROVIDER_API_URL?: string;
}

let current: { key: string; app: WorkerApp } | undefined;

function appFor(env: Env): WorkerApp {
  const bindings = stringBindings(env);
  const key = JSON.stringify(Object.entries(bindings).sort(([a], [b]) => a.localeCompare(b)));
  if (current?.key !== key) {
    const app = createWorkerApp(bindings, {
      fetch: workerdFetch((input, init) => fetch(input, init)),
      now: () => Date.now(),
      write: (line) => console.log(line.trimEnd()),
    });
    current = { key, app };
  }
  return current.app;
}

export default {
  // ctx.waitUntil keeps notifications running after the answer (the runtime would otherwise cut them off).
  fetch: (request, env, ctx) => appFor(env).fetch(request, ctx),
} satisfies ExportedHandler<Env>;
