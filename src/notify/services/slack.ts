import { REDACTED } from "../../log/redact.ts";
import type { CallResult, ServiceDefinition } from "./service-types.ts";
import { decode, jsonOf, queryOptions, unknownKey } from "./url-parts.ts";

/**
 * shoutrrr's slack (docs/services/slack.md, pkg/services/slack/): `slack://hook:P1-P2-P3@webhook` (or the old
 * `slack://P1/P2/P3`) → POST `https://hooks.slack.com/services/P1/P2/P3`, answered `ok`; `slack://xoxb:P1-P2-P3@CHANNEL`
 * → POST `https://slack.com/api/chat.postMessage` with `Authorization: Bearer xoxb-P1-P2-P3`, answered
 * `{"ok": true}`. Both send `{"text": title, "attachments": [{"text": line, "color"}…]}` (one attachment per line),
 * `username` from `botname`, `icon_emoji`/`icon_url` from `icon`, `channel` for the API, `thread_ts`.
 */
const KEYS = ["botname", "username", "icon", "icon_emoji", "icon_url", "color", "title", "thread_ts"];
const TOKEN = /(?:(xox.|hook)[-:]|:?)([A-Z0-9]{9,})([-/,])([A-Z0-9]{9,})([-/,])([A-Za-z0-9]{24,})/;

export const slack: ServiceDefinition = {
  scheme: "slack",
  form: "slack://hook:P1-P2-P3@webhook or slack://xoxb:TOKEN@CHANNEL",
  parse(url, endpoints) {
    const o = queryOptions(url);
    const bad = unknownKey(o, KEYS);
    if (bad !== undefined) return { ok: false, problem: `${JSON.stringify(bad)} is not a slack option (${KEYS.join(", ")})` };
    const oldForm = url.pathname.length > 1;
    const raw = oldForm ? url.hostname + url.pathname : `${decode(url.username)}${url.password ? `:${decode(url.password)}` : ""}`;
    const m = TOKEN.exec(raw.toUpperCase() === raw ? raw : raw);
    if (!m) return { ok: false, problem: "the token is not a Slack webhook (hook:…) or API (xoxb:…) token" };
    if (m[3] !== m[5]) return { ok: false, problem: "the token's parts must be separated the same way" };
    const type = m[1] ?? "hook";
    const parts = [m[2]!, m[4]!, m[6]!];
    const channel = oldForm ? "webhook" : url.hostname;
    const botname = o.get("botname") ?? o.get("username") ?? (oldForm && url.username ? decode(url.username) : undefined);
    const icon = o.get("icon") ?? o.get("icon_emoji") ?? o.get("icon_url");
    const api = type !== "hook";
    const target = api ? `${endpoints.slack ?? "https://slack.com"}/api/chat.postMessage` : `${endpoints.slackHooks ?? "https://hooks.slack.com"}/services/${parts.join("/")}`;
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (api) headers.Authorization = `Bearer ${type}-${parts.join("-")}`;
    const color = o.get("color");
    return {
      ok: true,
      service: {
        scheme: "slack",
        display: `slack://${REDACTED}@${oldForm ? "webhook" : channel}`,
        secrets: [parts.join("-"), parts.join("/"), parts[2]!],
        async deliver(msg, call) {
          const attachments = msg.body.split("\n").filter((l) => l !== "").map((text) => ({ text, ...(color ? { color } : {}) }));
          const payload = {
            text: o.get("title") ?? msg.title,
            ...(botname ? { username: botname } : {}),
            attachments,
            ...(o.get("thread_ts") ? { thread_ts: o.get("thread_ts") } : {}),
            ...(channel !== "webhook" ? { channel } : {}),
            ...(icon ? (/https?:\/\//.test(icon) ? { icon_url: icon } : { icon_emoji: icon }) : {}),
          };
          const r = await call({ method: "POST", url: target, headers, body: JSON.stringify(payload) });
          if (!r.ok) return r;
          if (api) {
            const answer = jsonOf(r.text);
            return answer?.ok === true ? r : failed(`Slack answered ${answer?.error ? `error ${JSON.stringify(String(answer.error))}` : "without ok"}`);
          }
          return r.text === "" || r.text === "ok" ? r : failed(`Slack answered ${JSON.stringify(r.text.slice(0, 100))}`);
        },
      },
    };
  },
};

const failed = (problem: string): CallResult => ({ ok: false, problem, transient: false });
