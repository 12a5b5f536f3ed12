import { REDACTED } from "../../log/redact.ts";
import type { ServiceDefinition, SmtpSettings } from "./service-types.ts";
import { decode, parseBool, queryOptions, unknownKey } from "./url-parts.ts";

/**
 * shoutrrr's smtp (docs/services/email.md, pkg/services/smtp/):
 * `smtp://user:password@host:port/?from=ddns@example.com&to=a@example.com,b@example.com` — options `fromname`,
 * `subject` (or `title`), `auth` (None, Plain; Unknown = Plain with a user, else None), `encryption` (None,
 * ExplicitTLS, ImplicitTLS, Auto = implicit TLS on port 465), `usestarttls` (default yes), `clienthost` (default
 * localhost). The session itself is smtp-session.ts; the daemon opens it (the Worker has no SMTP).
 */
const KEYS = ["fromaddress", "from", "fromname", "toaddresses", "to", "subject", "title", "auth", "encryption", "usestarttls", "starttls", "usehtml", "clienthost"];
const ENCRYPTIONS = ["none", "explicittls", "implicittls", "auto"] as const;


const ADDRESS = /^[^\s<>@,]+@[^\s<>@,]+$/;

export const smtp: ServiceDefinition = {
  scheme: "smtp",
  form: "smtp://user:password@host:port/?from=ddns@example.com&to=you@example.com",
  parse(url) {
    const o = queryOptions(url);
    const bad = unknownKey(o, KEYS);
    if (bad !== undefined) return { ok: false, problem: `${JSON.stringify(bad)} is not an smtp option (${KEYS.join(", ")})` };
    if (url.hostname === "") return { ok: false, problem: "the host is missing" };
    const from = o.get("from") ?? o.get("fromaddress") ?? "";
    if (!ADDRESS.test(from)) return { ok: false, problem: "from= must be one e-mail address" };
    const to = (o.get("to") ?? o.get("toaddresses") ?? "").split(",").map((a) => a.trim()).filter(Boolean);
    if (to.length === 0 || !to.every((a) => ADDRESS.test(a))) return { ok: false, problem: "to= must be one or more e-mail addresses, comma-separated" };
    const port = url.port === "" ? 25 : Number(url.port);
    const encryption = (o.get("encryption") ?? "auto").toLowerCase();
    if (!(ENCRYPTIONS as readonly string[]).includes(encryption)) return { ok: false, problem: "encryption must be None, ExplicitTLS, ImplicitTLS or Auto" };
    const startTls = parseBool(o.get("usestarttls") ?? o.get("starttls"), true);
    if (startTls === undefined) return { ok: false, problem: "usestarttls must be yes or no" };
    if (parseBool(o.get("usehtml"), false) === true) return { ok: false, problem: "usehtml=yes is not supported; ddnsd sends plain text" };
    const username = decode(url.username);
    const password = decode(url.password);
    const authKey = (o.get("auth") ?? "unknown").toLowerCase();
    if (!["unknown", "none", "plain"].includes(authKey)) return { ok: false, problem: "auth must be None or Plain (CRAMMD5 and OAuth2 are not supported)" };
    const auth = authKey === "unknown" ? (username !== "" ? "plain" : "none") : (authKey as "none" | "plain");
    const settings: SmtpSettings = {
      host: url.hostname.replace(/^\[|\]$/g, ""),
      port,
      username,
      password,
      from,
      fromName: o.get("fromname") ?? "",
      to,
      ...(o.get("subject") ?? o.get("title") ? { subject: o.get("subject") ?? o.get("title")! } : {}),
      auth,
      implicitTls: encryption === "implicittls" || (encryption === "auto" && port === 465),
      startTls: startTls && encryption !== "none",
      clientHost: o.get("clienthost") ?? "localhost",
    };
    return {
      ok: true,
      service: {
        scheme: "smtp",
        display: `smtp://${username || password ? `${REDACTED}@` : ""}${url.host}/?to=${to.length} address(es)`,
        secrets: [password, ...(username.length >= 6 ? [username] : [])].filter(Boolean),
        smtp: settings,
        deliver: async () => ({ ok: false, problem: "e-mail is sent by the daemon only (not from the Worker)", transient: false }),
      },
    };
  },
};
