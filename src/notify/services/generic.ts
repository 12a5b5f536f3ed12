import type { Message } from "../types.ts";
import type { ServiceDefinition } from "./service-types.ts";
import { displayOf, parseBool, secretsOf } from "./url-parts.ts";

/**
 * shoutrrr's generic webhook (docs/services/generic.md, pkg/services/generic/): a POST (`method=`) to
 * `https://host/path` (`http` with `disabletls=yes`; `generic+http://…` is the shortcut form), Content-Type and
 * Accept `contenttype` (default application/json); `@name=value` adds a header (`@acceptLanguage` → Accept-Language),
 * `$key=value` a field of the JSON template; any other query parameter is forwarded to the webhook. The body is the
 * message alone, or with `template=json` `{"title": …, "message": …}` (keys `titlekey`, `messagekey`).
 */
const CONFIG_KEYS = ["contenttype", "disabletls", "template", "title", "titlekey", "messagekey", "method"];
const METHODS = ["POST", "PUT", "GET", "PATCH"] as const;

/** `acceptLanguage` → `Accept-Language`, as shoutrrr's normalizedHeaderKey. */
export function headerName(key: string): string {
  let out = "";
  for (let i = 0; i < key.length; i++) {
    let c = key[i]!;
    if (c >= "A" && c <= "Z") {
      if (i > 0 && key[i - 1] !== "-") out += "-";
    } else if (i === 0 || key[i - 1] === "-") c = c.toUpperCase();
    out += c;
  }
  return out;
}

export const generic: ServiceDefinition = {
  scheme: "generic",
  form: "generic://host[:port]/path?template=json&disabletls=yes&@Header=value",
  parse(url) {
    const shortcut = url.protocol.startsWith("generic+");
    const headers: Record<string, string> = {};
    const extra: Record<string, string> = {};
    const forwarded = new URLSearchParams();
    const config = new Map<string, string>();
    for (const [key, value] of url.searchParams) {
      if (!shortcut && key.startsWith("@") && key.length > 1) headers[headerName(key.slice(1))] = value;
      else if (!shortcut && key.startsWith("$") && key.length > 1) extra[key.slice(1)] = value;
      else if (!shortcut && CONFIG_KEYS.includes(key.toLowerCase())) config.set(key.toLowerCase(), value);
      else forwarded.append(key, value);
    }
    if (url.hostname === "") return { ok: false, problem: "the host is missing" };
    const template = config.get("template") ?? "";
    if (template !== "" && template.toLowerCase() !== "json") return { ok: false, problem: `template ${JSON.stringify(template)} is not built in; use template=json or none` };
    const method = (config.get("method") ?? "POST").toUpperCase();
    if (!(METHODS as readonly string[]).includes(method)) return { ok: false, problem: `method ${JSON.stringify(method)} is not one of ${METHODS.join(", ")}` };
    const disableTls = shortcut ? url.protocol === "generic+http:" : parseBool(config.get("disabletls"), false);
    if (disableTls === undefined) return { ok: false, problem: "disabletls must be yes or no" };
    const contentType = config.get("contenttype") ?? "application/json";
    const titleKey = config.get("titlekey") ?? "title";
    const messageKey = config.get("messagekey") ?? "message";
    const query = forwarded.toString();
    const target = `${disableTls ? "http" : "https"}://${url.host}${url.pathname}${query ? `?${query}` : ""}`;
    const body = (m: Message) => (template === "" ? m.body : JSON.stringify({ ...extra, [titleKey]: config.get("title") ?? m.title, [messageKey]: m.body }));
    return {
      ok: true,
      service: {
        scheme: "generic",
        display: displayOf(url, "generic"),
        secrets: [...secretsOf(url), ...Object.values(headers)],
        deliver: (m, call) => call({ method: method as "POST", url: target, headers: { "Content-Type": contentType, Accept: contentType, ...headers }, body: body(m) }),
      },
    };
  },
};
