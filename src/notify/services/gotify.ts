import { REDACTED } from "../../log/redact.ts";
import type { ServiceDefinition } from "./service-types.ts";
import { parseBool, queryOptions, unknownKey } from "./url-parts.ts";

/**
 * shoutrrr's gotify (docs/services/gotify.md, pkg/services/gotify/; Gotify's API: POST /message):
 * `gotify://host[:port][/subpath]/token?title=…&priority=N&disabletls=yes` → POST
 * `https://host[/subpath]/message?token=TOKEN` with JSON `{"message", "title", "priority"}`. The application token
 * is 15 characters starting with `A` (shoutrrr checks it the same way).
 */
const KEYS = ["title", "priority", "disabletls"];
const TOKEN = /^A[A-Za-z0-9._-]{14}$/;

export const gotify: ServiceDefinition = {
  scheme: "gotify",
  form: "gotify://host[:port][/subpath]/token[?priority=5]",
  parse(url) {
    const o = queryOptions(url);
    const bad = unknownKey(o, KEYS);
    if (bad !== undefined) return { ok: false, problem: `${JSON.stringify(bad)} is not a gotify option (${KEYS.join(", ")})` };
    if (url.host === "") return { ok: false, problem: "the host is missing" };
    const path = url.pathname.replace(/\/+$/, "");
    const cut = path.lastIndexOf("/") + 1;
    const token = path.slice(cut);
    if (!TOKEN.test(token)) return { ok: false, problem: "the last path segment must be the application token (15 characters, starting with A)" };
    const priority = Number(o.get("priority") ?? "0");
    if (!Number.isInteger(priority)) return { ok: false, problem: "priority must be a whole number" };
    const disableTls = parseBool(o.get("disabletls"), false);
    if (disableTls === undefined) return { ok: false, problem: "disabletls must be yes or no" };
    const sub = path.slice(0, cut).replace(/\/$/, "");
    const target = `${disableTls ? "http" : "https"}://${url.host}${sub}/message?token=${encodeURIComponent(token)}`;
    return {
      ok: true,
      service: {
        scheme: "gotify",
        display: `gotify://${url.host}${sub}/${REDACTED}`,
        secrets: [token],
        deliver: (m, call) =>
          call({ method: "POST", url: target, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ message: m.body, title: o.get("title") ?? m.title, priority }) }),
      },
    };
  },
};
