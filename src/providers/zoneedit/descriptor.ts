import { quote } from "../../core/quote.ts";
import { basicAuthorization } from "../kit/basic-auth.ts";
import { defineProvider } from "../kit/descriptor.ts";
import { secret, text, url } from "../kit/fields.ts";
import { createTokenUrlProvider } from "../kit/token-url.ts";
import type { UnitVerdict } from "../kit/update-url-provider.ts";

/**
 * ZoneEdit: `GET <base>/auth/dynamic.html?host=<name>&dnsto=<IPv4>` with HTTP Basic auth (user name and the
 * dynamic-DNS token), answered by `<SUCCESS CODE="200" TEXT="…" …>` or `<ERROR CODE="7xx" TEXT="…" …>`. Sources
 * (2026-12-02): ddclient.in `nic_zoneedit1_update` (commit f4dcf6f: server dynamic.zoneedit.com, at least 10
 * minutes between updates, ERROR 707 "duplicate update" counts as done) and qdm12/ddns-updater providers/zoneedit
 * (commit 4b18087: 702 = minimum 600 seconds between requests, 708 = failed login, 709 = invalid hostname).
 * ZoneEdit's own page could not be found with the tools; IPv4 only, as both clients send it.
 */
const TEN_MINUTES = 600_000;

export function readZoneEditAnswer(body: string): UnitVerdict | undefined {
  const m = /<(SUCCESS|ERROR)\b([^>]*)>/i.exec(body);
  if (!m) return undefined;
  const attr = (key: string) => new RegExp(`\\b${key}\\s*=\\s*"([^"]*)"`, "i").exec(m[2] ?? "")?.[1] ?? "";
  const code = attr("CODE");
  const said = `ZoneEdit answered ${quote(`${m[1]!.toUpperCase()} ${code} ${attr("TEXT")}`.trim(), 80)}`;
  if (m[1]!.toUpperCase() === "SUCCESS") return { ok: true, outcome: "updated" };
  if (code === "707") return { ok: true, outcome: "unchanged" };
  if (code === "702") {
    return { ok: false, problem: { kind: "rate-limited", reason: `${said}: ZoneEdit takes one update per 10 minutes`, retryAfterMs: TEN_MINUTES } };
  }
  if (code === "708") return { ok: false, problem: { kind: "auth", reason: `${said}: the login was refused. Check DDNS_ZONEEDIT_USERNAME and DDNS_PROVIDER_API_TOKEN.` }, stop: "account" };
  if (code === "709") return { ok: false, problem: { kind: "config", reason: `${said}: the host name is not valid there. Check the name in DDNS_RECORDS.` }, stop: "record" };
  return { ok: false, problem: { kind: "transient", reason: `${said}, which ddnsd cannot read as a confirmation`, mayHaveArrived: true } };
}

export const zoneedit = defineProvider({
  id: "zoneedit",
  name: "ZoneEdit",
  capabilities: { read: false, comments: false, proxied: false },
  ttl: undefined,
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "the dynamic-DNS token (ZoneEdit: Domains → DNS Settings → DYN records)"),
    username: text("DDNS_ZONEEDIT_USERNAME", "the ZoneEdit user name").required("myuser"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "ZoneEdit's dynamic-DNS base URL (below it: /auth/dynamic.html)").default("https://dynamic.zoneedit.com"),
  },
  create: (s, deps) => {
    const authorization = basicAuthorization(s.username, s.token);
    return createTokenUrlProvider(
      {
        id: "zoneedit",
        service: "ZoneEdit",
        baseUrl: s.apiUrl,
        path: "/auth/dynamic.html",
        together: false,
        ipv6: false,
        headers: { Authorization: authorization },
        secrets: [s.token, authorization.slice("Basic ".length)],
        answerName: "a ZoneEdit answer",
        params: (call) => ({ host: call.units[0]?.name ?? "", dnsto: call.v4 ?? "" }),
        read: (reply) => readZoneEditAnswer(reply.text),
      },
      deps,
    );
  },
});
