import { REDACTED } from "../../log/redact.ts";
import type { ServiceDefinition } from "./service-types.ts";
import { decode, parseBool, queryOptions, unknownKey } from "./url-parts.ts";

/**
 * shoutrrr's discord (docs/services/discord.md, pkg/services/discord/): `discord://token@webhookid` → POST
 * `https://discord.com/api/webhooks/webhookid/token` with `{"embeds": [{"description": line, "color": 5298687}, …]}`
 * (one embed per line, `splitLines` default yes; the first embed carries `title`), `username` and `avatar_url`
 * when set; `discord://token@webhookid/raw` (`json=yes`) posts the message itself as the JSON payload. Discord answers
 * 204 No Content; shoutrrr treats anything else as a failure, and so does this.
 */
const KEYS = ["title", "username", "avatar", "avatarurl", "color", "colorerror", "colorwarn", "colorinfo", "colordebug", "splitlines", "json"];
const DEFAULT_COLOR = 0x50d9ff;

export const discord: ServiceDefinition = {
  scheme: "discord",
  form: "discord://token@webhookid",
  parse(url, endpoints) {
    const o = queryOptions(url);
    const bad = unknownKey(o, KEYS);
    if (bad !== undefined) return { ok: false, problem: `${JSON.stringify(bad)} is not a discord option (${KEYS.join(", ")})` };
    const id = url.hostname;
    const token = decode(url.username);
    if (id === "") return { ok: false, problem: "the webhook id is missing" };
    if (token === "") return { ok: false, problem: "the token is missing" };
    if (url.pathname !== "" && url.pathname !== "/" && url.pathname !== "/raw") return { ok: false, problem: "the only path allowed is /raw" };
    const raw = url.pathname === "/raw" || parseBool(o.get("json"), false) === true;
    const split = parseBool(o.get("splitlines"), true) !== false;
    const color = o.has("color") ? Number.parseInt(o.get("color")!.replace(/^0x/i, ""), 16) : DEFAULT_COLOR;
    if (!Number.isFinite(color)) return { ok: false, problem: "color must be hexadecimal, e.g. 0x50D9ff" };
    const target = `${endpoints.discord ?? "https://discord.com"}/api/webhooks/${id}/${token}`;
    return {
      ok: true,
      service: {
        scheme: "discord",
        display: `discord://${REDACTED}@${id}`,
        secrets: [token],
        deliver(m, call) {
          const lines = split ? m.body.split("\n").filter((l) => l !== "") : [m.body];
          const embeds = lines.slice(0, 10).map((line, i) => ({ ...(i === 0 && (o.get("title") ?? m.title) ? { title: o.get("title") ?? m.title } : {}), description: line, color }));
          const payload = { embeds, ...(o.get("username") ? { username: o.get("username") } : {}), ...(o.get("avatar") ?? o.get("avatarurl") ? { avatar_url: o.get("avatar") ?? o.get("avatarurl") } : {}) };
          const body = raw ? m.body : JSON.stringify(payload);
          return call({ method: "POST", url: target, headers: { "Content-Type": "application/json" }, body }).then((r) =>
            r.ok && r.status !== 204 ? { ok: false, problem: `Discord answered HTTP ${r.status}, not 204`, transient: false, status: r.status } : r,
          );
        },
      },
    };
  },
};
