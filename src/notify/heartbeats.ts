import { REDACTED } from "../log/redact.ts";
import { createHttpCall, type HttpChannelDeps } from "./http-channel.ts";
import type { ServiceRequest } from "./services/service-types.ts";
import { secretsOf } from "./services/url-parts.ts";
import type { Beat, Channel, SendResult } from "./types.ts";

/**
 * Heartbeats: a monitor that expects to hear from ddnsd every round and raises its own alarm when it does not.
 * - healthchecks.io (https://healthchecks.io/docs/http_api/): POST `URL/start` when a round begins, POST `URL`
 *   (the body says what the round confirmed) after a round that confirmed every record, POST `URL/fail` with a short
 *   reason after one that did not. The URL's query (`?rid=…`) is kept.
 * - Uptime Kuma push monitors: GET `URL?status=up&msg=…` after a good round, `status=down&msg=…` after a failed one;
 *   nothing at the start of a round. `status`, `msg` and `ping` of the pasted URL are replaced.
 */
export type HeartbeatKind = "healthchecks" | "uptimekuma";

/** A short body: healthchecks.io keeps the first 100 kB, a person reads the first line. */
const MAX_MESSAGE = 200;

export function heartbeatProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "is not a well-formed URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http:// or https:// URL";
  if (url.username || url.password) return "must not carry user:password@ (put the check's key in its path, as the service shows it)";
  return undefined;
}

export function heartbeatDisplay(text: string): string {
  const url = new URL(text);
  return `${url.origin}${url.pathname.replace(/^\/+/, "") ? `/${REDACTED}` : ""}${url.search ? "?…" : ""}`;
}

function healthchecksRequest(base: URL, beat: Beat): ServiceRequest {
  const url = new URL(base);
  const path = url.pathname.replace(/\/+$/, "");
  const body = beat.kind === "start" ? "" : beat.message.slice(0, MAX_MESSAGE);
  url.pathname = beat.kind === "start" ? `${path}/start` : beat.kind === "down" ? `${path}/fail` : path;
  return { method: "POST", url: url.toString(), headers: { "Content-Type": "text/plain; charset=utf-8" }, body };
}

function uptimeKumaRequest(base: URL, beat: Beat): ServiceRequest | undefined {
  if (beat.kind === "start") return undefined;
  const url = new URL(base);
  url.searchParams.set("status", beat.kind);
  url.searchParams.set("msg", beat.message.slice(0, MAX_MESSAGE));
  url.searchParams.set("ping", "");
  return { method: "GET", url: url.toString(), headers: {} };
}

export function createHeartbeatChannel(kind: HeartbeatKind, text: string, deps: HttpChannelDeps): Channel {
  const base = new URL(text);
  const secrets = [...secretsOf(base), ...base.pathname.split("/").filter((p) => p.length >= 6)];
  return {
    label: kind,
    display: heartbeatDisplay(text),
    kind: "heartbeat",
    async send(delivery, signal): Promise<SendResult> {
      const beat: Beat = delivery.kind === "beat" ? delivery.beat : { kind: "up", message: `${delivery.message.title}: ${delivery.message.body}` };
      const request = kind === "healthchecks" ? healthchecksRequest(base, beat) : uptimeKumaRequest(base, beat);
      if (!request) return { ok: true };
      const r = await createHttpCall(deps, secrets, signal)(request);
      return r.ok ? { ok: true } : { ok: false, problem: r.problem, transient: r.transient };
    },
  };
}
