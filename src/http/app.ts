import { Hono } from "hono";
import type { StatusBoard } from "../engine/status-board.ts";
import type { DaemonMetrics } from "../metrics/daemon-metrics.ts";
import { redactStrings, toPublicStatus, type PublicStatus } from "./public-status.ts";
import { renderStatusPage } from "./status-page.tsx";
import { UPDATE_PATH } from "../update-server/update-app.ts";
import type { RequestLogin } from "../update-server/login-guard.ts";
import { guardedAccess } from "./guarded-access.ts";

/**
 * The daemon's HTTP face: `/` (the status page), `/healthz`, `/readyz`, `/metrics` and `/status`, read-only views
 * of the status board and the metrics registry. Everything comes in through `deps`; nothing here knows which runtime serves it.
 * Answers carry only what the board and registry hold (secrets are redacted upstream) and never a stack trace.
 * In push mode (`deps.login`) they need the update credentials, see guarded-access.ts.
 */
export interface AppDeps {
  status: StatusBoard;
  metrics: DaemonMetrics;
  version: string;
  runtime: string;
  /** The DynDNS2 update endpoint (src/update-server/update-app.ts), mounted only when the push source is on. */
  edge?: Hono;
  /**
   * Push mode: the endpoint's login. Every answer but `/healthz` (and the bare `/readyz` code) then needs the
   * update credentials (guarded-access.ts).
   */
  login?: RequestLogin;
  /**
   * The daemon's secret redactor (src/log/redact.ts, the one every log line passes): `/status` and the page pass
   * every text through it, a second line of defence behind the engine's secret-free messages.
   */
  redact?: (text: string) => string;
  /** The clock for the page's "5 min ago" (the board's times are absolute). */
  now: () => number;
}

/** What the page allows itself: its own inline style sheet and nothing else (no script, no fetch, no frame). */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The content type Prometheus expects for text format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
export const ALLOWED_METHODS = "GET, HEAD";

/** Route label per served path; anything else counts as `other`, so the label set stays bounded. */
const ROUTES = new Map<string, string>([
  ["/", "page"],
  ["/healthz", "healthz"],
  ["/readyz", "readyz"],
  ["/metrics", "metrics"],
  ["/status", "status"],
]);

/** Reasons are one line: a multi-line reason would break `ddnsd healthcheck` and log scrapers. */
const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, " ").trim();

export function createApp(deps: AppDeps): Hono {
  const { status, metrics } = deps;
  const redact = deps.redact ?? ((text: string) => text);
  const publicStatus = (): PublicStatus => redactStrings(toPublicStatus(status.snapshot(), { version: deps.version, runtime: deps.runtime }), redact);
  const app = new Hono();

  app.use("*", async (c, next) => {
    c.header("Cache-Control", "no-store");
    await next();
    const route = ROUTES.get(c.req.path) ?? (deps.edge && c.req.path === UPDATE_PATH ? "update" : "other");
    metrics.httpRequests.inc({ route, code: String(c.res.status) });
  });

  app.use("*", async (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD" || !ROUTES.has(c.req.path)) return next();
    return c.text("method not allowed", 405, { Allow: ALLOWED_METHODS });
  });

  if (deps.login) app.use("*", guardedAccess(deps.login, status));

  app.get("/healthz", (c) => {
    const health = status.health();
    return health.ok ? c.text("ok", 200) : c.text(oneLine(health.reason), 503);
  });

  app.get("/readyz", (c) => {
    const readiness = status.readiness();
    return readiness.ok ? c.text("ok", 200) : c.text(oneLine(readiness.reason), 503);
  });

  // Rendered on demand: no cached copy to go stale or to hold memory between scrapes.
  app.get("/metrics", (c) => c.body(metrics.registry.render(), 200, { "Content-Type": PROMETHEUS_CONTENT_TYPE }));

  app.get("/", (c) => {
    const readiness = status.readiness();
    const html = renderStatusPage({ status: publicStatus(), readiness: { ok: readiness.ok, reason: redact(oneLine(readiness.reason)) }, now: deps.now() });
    return c.html(html, 200, { "Content-Security-Policy": PAGE_CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer" });
  });

  app.get("/status", (c) => {
    const body = publicStatus();
    return c.body(`${JSON.stringify(body, null, 2)}\n`, 200, { "Content-Type": "application/json; charset=utf-8" });
  });

  if (deps.edge) app.route("/", deps.edge);

  app.notFound((c) => c.text("not found", 404));
  app.onError((_error, c) => c.text("internal error", 500));
  return app;
}
