import { createHttpClient } from "../../providers/kit/http-client.ts";
import type { HttpFailure } from "../../providers/kit/http-types.ts";
import { findWanService, MAX_DESCRIPTION_BYTES, type WanService } from "./igd-description.ts";
import { encodeGetExternalIp, MAX_SOAP_BYTES, parseGetExternalIpAnswer } from "./igd-soap.ts";
import { discoverGateway } from "./ssdp.ts";
import { laterStepMs, type RouterAnswer, type RouterQuery } from "./router-types.ts";

/**
 * UPnP IGD: SSDP discovery (ssdp.ts), the device description (igd-description.ts), then `GetExternalIPAddress` over
 * SOAP (igd-soap.ts). HTTP goes through the kit's one client (src/providers/kit/http-client.ts): no redirects, one
 * deadline, bounded bodies. The WAN service found is remembered by the client, so later detections make one SOAP
 * call; when that call cannot reach the control URL any more (the router restarted on another port), discovery runs
 * again. The first exchange (SSDP, or the remembered SOAP call) takes the protocol's share of the detection's
 * deadline; each later one what is left of it (at most 2 s).
 */
export interface IgdClient {
  ask(q: RouterQuery): Promise<RouterAnswer>;
}

export function createIgdClient(): IgdClient {
  let known: { router: string; service: WanService } | undefined;

  async function ask(q: RouterQuery): Promise<RouterAnswer> {
    let discoveryMs = q.openingMs;
    if (known?.router === q.router) {
      const answer = await soap(q, known.service, q.openingMs);
      if (answer.ok || !answer.unreachable) return strip(answer);
      q.log.debug(`UPnP IGD: the control URL ${JSON.stringify(known.service.controlUrl)} did not answer (${answer.reason}); discovering the gateway again`);
      known = undefined;
      discoveryMs = laterStepMs(q);
    }
    const found = await discover(q, discoveryMs);
    if (!found.ok) return found;
    known = { router: q.router, service: found.service };
    return strip(await soap(q, found.service, laterStepMs(q)));
  }
  return { ask };
}

const strip = (a: RouterAnswer & { unreachable?: boolean }): RouterAnswer => (a.ok ? { ok: true, address: a.address } : { ok: false, reason: a.reason });

function client(q: RouterQuery, maxBytes: number, timeoutMs: number) {
  return createHttpClient({ fetch: q.fetch, userAgent: q.userAgent, timeoutMs, maxBytes, maxRedirects: 0, now: Date.now });
}

const NO_TIME_LEFT = "was not asked: the detection's deadline had passed";

async function discover(q: RouterQuery, budgetMs: number): Promise<{ ok: true; service: WanService } | { ok: false; reason: string }> {
  const discovery = await discoverGateway(q, budgetMs);
  if (!discovery.ok) return discovery;
  const location = discovery.answer.location;
  const descriptionMs = laterStepMs(q);
  if (descriptionMs <= 0) return { ok: false, reason: `the device description ${JSON.stringify(location)} ${NO_TIME_LEFT}` };
  const got = await client(q, MAX_DESCRIPTION_BYTES, descriptionMs).text(location, { method: "GET", signal: q.signal });
  if (!got.ok) return { ok: false, reason: `the device description ${JSON.stringify(location)} ${httpFailure(got.failure, descriptionMs)}` };
  if (got.status !== 200) return { ok: false, reason: `the device description ${JSON.stringify(location)} answered HTTP ${got.status}` };
  const found = findWanService(got.text, location, q.router);
  if (!found.ok) {
    if (found.foreignHost) q.ignored("a control URL on another host than the router");
    return { ok: false, reason: `${found.reason} (${JSON.stringify(location)})` };
  }
  return found;
}

async function soap(q: RouterQuery, service: WanService, budgetMs: number): Promise<RouterAnswer & { unreachable?: boolean }> {
  if (budgetMs <= 0) return { ok: false, reason: `the control URL ${JSON.stringify(service.controlUrl)} ${NO_TIME_LEFT}` };
  const request = encodeGetExternalIp(service.serviceType);
  const got = await client(q, MAX_SOAP_BYTES, budgetMs).text(service.controlUrl, { method: "POST", body: request.body, headers: request.headers, write: false, signal: q.signal });
  if (got.ok) return parseGetExternalIpAnswer(got.status, got.text);
  // A fault comes with HTTP 500 and its XML body.
  if (got.failure.reason === "http" && got.failure.status !== undefined) return parseGetExternalIpAnswer(got.failure.status, got.failure.body ?? "");
  const unreachable = got.failure.reason === "refused" || got.failure.reason === "network" || got.failure.reason === "timeout";
  return { ok: false, reason: `the control URL ${JSON.stringify(service.controlUrl)} ${httpFailure(got.failure, budgetMs)}`, unreachable };
}

/** Why an HTTP call to the router failed, from the router's side. */
function httpFailure(failure: HttpFailure, timeoutMs: number): string {
  switch (failure.reason) {
    case "timeout":
      return `did not answer within ${timeoutMs / 1000}s`;
    case "aborted":
      return "was not asked to the end (detection cancelled)";
    case "refused":
    case "network":
      return `could not be reached (${failure.detail ?? failure.reason})`;
    case "too-large":
      return "sent a larger answer than a router's description or SOAP answer can be";
    case "redirect":
      return "answered with a redirect, which is not followed";
    default:
      return `answered HTTP ${failure.status ?? "with an error"}`;
  }
}
