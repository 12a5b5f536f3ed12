import { REDACTED } from "../../log/redact.ts";
import type { ServiceDefinition } from "./service-types.ts";
import { basicAuth, decode, parseBool, queryOptions, secretsOf, unknownKey } from "./url-parts.ts";

/**
 * shoutrrr's ntfy (docs/services/ntfy.md, pkg/services/ntfy/; ntfy's API: https://docs.ntfy.sh/publish/):
 * `ntfy://[user:password@]host[:port]/topic?…` → POST `https://host/topic` (`scheme=http` for plain HTTP) with the
 * message as the body and the options as headers: Title, Priority (1–5 or min…max/urgent; default 3), Tags,
 * Delay, Actions, Click, Attach, X-Icon, Filename, Email, `Cache: no` / `Firebase: no` when turned off. Basic auth
 * from the user info. The host defaults to ntfy.sh.
 */
const KEYS = ["title", "scheme", "tags", "priority", "actions", "click", "attach", "filename", "delay", "at", "in", "email", "icon", "cache", "firebase"];
const PRIORITIES: Record<string, string> = { "1": "1", "2": "2", "3": "3", "4": "4", "5": "5", min: "1", low: "2", default: "3", high: "4", max: "5", urgent: "5" };
const HEADERS: Array<[string, string]> = [["tags", "Tags"], ["delay", "Delay"], ["at", "Delay"], ["in", "Delay"], ["actions", "Actions"], ["click", "Click"], ["attach", "Attach"], ["icon", "X-Icon"], ["filename", "Filename"], ["email", "Email"]];

export const ntfy: ServiceDefinition = {
  scheme: "ntfy",
  form: "ntfy://[user:password@]host[:port]/topic[?priority=high&tags=…]",
  parse(url) {
    const o = queryOptions(url);
    const bad = unknownKey(o, KEYS);
    if (bad !== undefined) return { ok: false, problem: `${JSON.stringify(bad)} is not an ntfy option (${KEYS.join(", ")})` };
    const topic = url.pathname.replace(/^\/+/, "");
    if (topic === "") return { ok: false, problem: "the topic is missing" };
    const scheme = (o.get("scheme") ?? "https").toLowerCase();
    if (scheme !== "https" && scheme !== "http") return { ok: false, problem: "scheme must be http or https" };
    const priority = PRIORITIES[(o.get("priority") ?? "default").toLowerCase()];
    if (priority === undefined) return { ok: false, problem: "priority must be 1–5, min, low, default, high, max or urgent" };
    const cache = parseBool(o.get("cache"), true);
    const firebase = parseBool(o.get("firebase"), true);
    if (cache === undefined || firebase === undefined) return { ok: false, problem: "cache and firebase must be yes or no" };
    const headers: Record<string, string> = { Priority: priority };
    for (const [key, header] of HEADERS) if (o.get(key)) headers[header] = o.get(key)!;
    if (!cache) headers.Cache = "no";
    if (!firebase) headers.Firebase = "no";
    const password = decode(url.password);
    if (password !== "") headers.Authorization = basicAuth(decode(url.username), password);
    const host = url.host === "" ? "ntfy.sh" : url.host;
    const target = `${scheme}://${host}/${topic}`;
    return {
      ok: true,
      service: {
        scheme: "ntfy",
        display: `ntfy://${url.username || password ? `${REDACTED}@` : ""}${host}/${REDACTED}`,
        secrets: [...secretsOf(url), topic],
        deliver: (m, call) => call({ method: "POST", url: target, headers: { "Content-Type": "text/plain; charset=utf-8", Title: o.get("title") ?? m.title, ...headers }, body: m.body }),
      },
    };
  },
};
