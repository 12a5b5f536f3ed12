import { REDACTED } from "../../log/redact.ts";
import type { CallResult, ServiceDefinition } from "./service-types.ts";
import { decode, inOrder, jsonOf, parseBool, queryOptions, unknownKey } from "./url-parts.ts";

/**
 * shoutrrr's telegram (docs/services/telegram.md, pkg/services/telegram/; Bot API sendMessage):
 * `telegram://TOKEN@telegram?chats=@channel,12345[:thread]` → for each chat POST
 * `https://api.telegram.org/botTOKEN/sendMessage` with `{"text", "chat_id", "message_thread_id"?, "parse_mode"?,
 * "disable_web_page_preview", "disable_notification", "reply_to_message_id": 0}`. With a title and no parse mode,
 * shoutrrr switches to HTML: `<b>title</b>\n` + the escaped message. Answered `{"ok": true, …}`.
 */
const KEYS = ["preview", "notification", "parsemode", "chats", "channels", "title"];
const MODES: Record<string, string | undefined> = { none: undefined, markdown: "Markdown", html: "HTML", markdownv2: "MarkdownV2" };
const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&#34;").replace(/'/g, "&#39;");

export const telegram: ServiceDefinition = {
  scheme: "telegram",
  form: "telegram://TOKEN@telegram?chats=@channel,CHAT_ID",
  parse(url, endpoints) {
    const o = queryOptions(url);
    const bad = unknownKey(o, KEYS);
    if (bad !== undefined) return { ok: false, problem: `${JSON.stringify(bad)} is not a telegram option (${KEYS.join(", ")})` };
    const token = `${decode(url.username)}:${decode(url.password)}`;
    if (!/^[0-9]+:[a-zA-Z0-9_-]+$/.test(token)) return { ok: false, problem: "the bot token (digits:letters, before the @) is missing or malformed" };
    const chats = (o.get("chats") ?? o.get("channels") ?? "").split(",").map((c) => c.trim()).filter((c) => c !== "");
    if (chats.length === 0) return { ok: false, problem: "no chats given (?chats=@channel or a chat id)" };
    const modeKey = (o.get("parsemode") ?? "none").toLowerCase();
    if (!(modeKey in MODES)) return { ok: false, problem: "parsemode must be None, Markdown, HTML or MarkdownV2" };
    const preview = parseBool(o.get("preview"), true);
    const notification = parseBool(o.get("notification"), true);
    if (preview === undefined || notification === undefined) return { ok: false, problem: "preview and notification must be yes or no" };
    const target = `${endpoints.telegram ?? "https://api.telegram.org"}/bot${token}/sendMessage`;
    const payload = (text: string, title: string, chat: string) => {
      const [id, thread] = chat.split(":") as [string, string | undefined];
      const threadId = thread !== undefined && /^-?\d+$/.test(thread) ? Number(thread) : undefined;
      let mode = MODES[modeKey];
      let body = text;
      if (mode === undefined && title !== "") mode = "HTML", (body = escapeHtml(text));
      if (mode === "HTML") body = `<b>${escapeHtml(title)}</b>\n${body}`;
      return { text: body, chat_id: id, ...(threadId === undefined ? {} : { message_thread_id: threadId }), ...(mode ? { parse_mode: mode } : {}), disable_web_page_preview: !preview, disable_notification: !notification, reply_to_message_id: 0 };
    };
    return {
      ok: true,
      service: {
        scheme: "telegram",
        display: `telegram://${REDACTED}@telegram?chats=${chats.length} chat(s)`,
        secrets: [token, decode(url.password)],
        deliver: (m, call) =>
          inOrder(
            chats.map((chat) => async (): Promise<CallResult> => {
              const r = await call({ method: "POST", url: target, headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload(m.body, o.get("title") ?? m.title, chat)) });
              if (!r.ok) return r;
              return jsonOf(r.text)?.ok === true ? r : { ok: false, problem: "Telegram answered without ok", transient: false };
            }),
          ),
      },
    };
  },
};
