import { displayUrl } from "../../net/display-url.ts";
import type { HttpMethod, RedirectProblem } from "./http-types.ts";

/**
 * Which redirects the kit's client follows. Every provider request carries credentials (a token header, Basic
 * auth, a key in the query), so a redirect to another origin (scheme, host or port) is never followed: the
 * credentials would go to a host the operator did not name. The failure says where the service pointed, so the
 * operator can set DDNS_PROVIDER_API_URL to the final address.
 *
 * Within the configured origin, up to `maxRedirects` (default 3) are followed by hand, each with the same method and
 * body (301, 302, 307, 308; a service moving a path keeps meaning the same request). A 303 is followed only by a
 * GET: after a write it says "done, look elsewhere", so the write may have happened and is reported as such.
 */

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export const DEFAULT_MAX_REDIRECTS = 3;

export type RedirectDecision =
  | { follow: true; url: string }
  | { follow: false; problem: RedirectProblem; location?: string; mayHaveArrived: boolean };

export interface RedirectInput {
  status: number;
  location: string | null;
  /** The URL that answered with the redirect. */
  current: string;
  /** The origin of the first request: every hop must stay on it. */
  origin: string;
  method: HttpMethod;
  /** Redirects followed so far. */
  hops: number;
  maxRedirects: number;
}

export function decideRedirect(r: RedirectInput): RedirectDecision {
  let next: URL;
  try {
    if (r.location === null || r.location.trim() === "") throw new Error("no Location");
    next = new URL(r.location, r.current);
  } catch {
    return { follow: false, problem: "no-location", mayHaveArrived: false };
  }
  const location = displayUrl(next.href);
  if (next.origin !== r.origin) return { follow: false, problem: "other-origin", location, mayHaveArrived: false };
  if (r.status === 303 && r.method !== "GET") return { follow: false, problem: "see-other", location, mayHaveArrived: true };
  if (r.hops >= r.maxRedirects) return { follow: false, problem: "too-many", location, mayHaveArrived: false };
  return { follow: true, url: next.href };
}
