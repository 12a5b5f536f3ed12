import { REDACTED } from "../../log/redact.ts";
import type { ServiceDefinition } from "./service-types.ts";
import { decode, queryOptions, unknownKey } from "./url-parts.ts";

/**
 * shoutrrr's pushover (docs/services/pushover.md, pkg/services/pushover/; Pushover's API: POST /1/messages.json):
 * `pushover://shoutrrr:API_TOKEN@USER_KEY/?devices=a,b&title=…&priority=N` → POST
 * `https://api.pushover.net/1/messages.json`, form-encoded (keys sorted, as Go's url.Values.Encode):
 * device, message, priority (when -2…1), title, token, user. Answered 200.
 */
const KEYS = ["devices", "priority", "title"];

export const pushover: ServiceDefinition = {
  scheme: "pushover",
  form: "pushover://shoutrrr:API_TOKEN@USER_KEY/?devices=phone",
  parse(url, endpoints) {
    const o = queryOptions(url);
    const bad = unknownKey(o, KEYS);
    if (bad !== undefined) return { ok: false, problem: `${JSON.stringify(bad)} is not a pushover option (${KEYS.join(", ")})` };
    const user = url.hostname;
    const token = decode(url.password);
    if (user === "") return { ok: false, problem: "the user key (the host part) is missing" };
    if (token === "") return { ok: false, problem: "the API token (the password part) is missing" };
    const priority = Number(o.get("priority") ?? "0");
    if (!Number.isInteger(priority)) return { ok: false, problem: "priority must be a whole number" };
    const device = (o.get("devices") ?? "").split(",").map((d) => d.trim()).filter(Boolean).join(",");
    const target = `${endpoints.pushover ?? "https://api.pushover.net"}/1/messages.json`;
    return {
      ok: true,
      service: {
        scheme: "pushover",
        display: `pushover://${REDACTED}@${REDACTED}`,
        secrets: [user, token],
        deliver(m, call) {
          const title = o.get("title") ?? m.title;
          const fields: Record<string, string> = { device, message: m.body, token, user };
          if (title) fields.title = title;
          if (priority >= -2 && priority <= 1) fields.priority = String(priority);
          const body = new URLSearchParams(Object.keys(fields).sort().map((k): [string, string] => [k, fields[k]!])).toString();
          return call({ method: "POST", url: target, headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });
        },
      },
    };
  },
};
