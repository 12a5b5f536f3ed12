import { displayUrl } from "../../net/display-url.ts";
import type { Answer } from "./answer.ts";

/**
 * The next page of a listing that pages by `Link` headers (RFC 8288: `Link: <https://…/zones?page=2>; rel="next"`,
 * as NS1's SDK ns1/ns1-go follows them). The target is resolved against the URL of the page that named it and
 * followed only on the API's own origin: the provider's credentials go with every call, so a link to another origin
 * is a problem, not a page. Like ns1-go (`ParseLink(…, forceHTTPS)`), an `http:` link on the API's host is read as
 * `https:` when the API is reached over HTTPS (a proxy in front of the service may write its links with `http:`).
 *
 *   const next = nextLink(answer.value.headers, { service: "NS1", baseUrl: s.apiUrl, current: cursor ?? `${s.apiUrl}/zones` });
 */
export interface NextLinkOptions {
  service: string;
  /** The API base URL (DDNS_PROVIDER_API_URL): its origin is the only one followed. */
  baseUrl: string;
  /** The URL of the page whose answer this is (a relative link is resolved against it). */
  current: string;
  /** The variable that sets the base URL, for the problem's advice. */
  urlVariable?: string;
}

/** The targets of a Link header whose `rel` names `next`, in order. */
export function linkTargets(header: string | null, rel: string): string[] {
  if (!header) return [];
  const found: string[] = [];
  for (const m of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const params = m[2] ?? "";
    const relParam = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    const rels = (relParam?.[1] ?? relParam?.[2] ?? "").toLowerCase().split(/\s+/);
    if (rels.includes(rel)) found.push(m[1]!.trim());
  }
  return found;
}

/** The absolute URL of the next page, null when there is none, or the problem of a link ddnsd will not follow. */
export function nextLink(headers: Headers, o: NextLinkOptions): Answer<string | null> {
  const target = linkTargets(headers.get("link"), "next")[0];
  if (target === undefined || target === "") return { ok: true, value: null };
  const base = new URL(o.baseUrl);
  let next: URL;
  try {
    next = new URL(target, o.current);
  } catch {
    return { ok: false, problem: { kind: "transient", reason: `${o.service} named its next page ${JSON.stringify(target)}, which is not a URL; ddnsd stopped reading the listing and will try again` } };
  }
  if (base.protocol === "https:" && next.protocol === "http:" && next.host === base.host) next.protocol = "https:";
  if (next.origin !== base.origin) {
    return {
      ok: false,
      problem: {
        kind: "config",
        reason: `${o.service} named its next page on another origin (${JSON.stringify(displayUrl(next.href))}); ddnsd does not send credentials to another origin: set ${o.urlVariable ?? "DDNS_PROVIDER_API_URL"} to the address the service answers on`,
      },
    };
  }
  return { ok: true, value: next.href };
}
