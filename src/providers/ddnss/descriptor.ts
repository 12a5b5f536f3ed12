import { quote } from "../../core/quote.ts";
import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createTokenUrlProvider } from "../kit/token-url.ts";
import type { UnitVerdict } from "../kit/update-url-provider.ts";

/**
 * ddnss.de: `GET <base>/upd.php?key=<update key>&host=<name>&ip=<IPv4>` (or `ip6=<IPv6>`), one family per request
 * as ddclient sends it. Sources (2026-12-02): ddclient.in `nic_ddnss_update` (commit f4dcf6f: success when the
 * answer says `good`) and qdm12/ddns-updater providers/ddnss (commit 4b18087: "Updated 1 hostname", `badauth`,
 * `notfqdn`, `badysys`). ddnss's own page could not be found with the tools: anything else is "could not confirm".
 */
export function readDdnssAnswer(text: string): UnitVerdict | undefined {
  const said = `ddnss answered ${quote(text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim(), 80)}`;
  if (/\bbadauth\b/i.test(text)) return { ok: false, problem: { kind: "auth", reason: `${said}: the update key was refused. Check DDNS_PROVIDER_API_TOKEN.` }, stop: "account" };
  if (/\bnotfqdn\b|\bnohost\b/i.test(text)) return { ok: false, problem: { kind: "config", reason: `${said}: the host is not in this account. Check the name in DDNS_RECORDS.` }, stop: "record" };
  if (/\bgood\b|\bupdated \d+ hostname/i.test(text)) return { ok: true, outcome: "updated" };
  return undefined;
}

export const ddnss = defineProvider({
  id: "ddnss",
  name: "ddnss.de",
  capabilities: { read: false, comments: false, proxied: false },
  ttl: undefined,
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "the account's update key (ddnss.de, Mein Konto)"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "ddnss's base URL (below it: /upd.php)").default("https://ddnss.de"),
  },
  create: (s, deps) =>
    createTokenUrlProvider(
      {
        id: "ddnss",
        service: "ddnss",
        baseUrl: s.apiUrl,
        path: "/upd.php",
        together: false,
        ipv6: true,
        secrets: [s.token],
        answerName: "a ddnss answer",
        params: (call) => ({ key: s.token, host: call.units.map((u) => u.name).join(","), ...(call.v4 ? { ip: call.v4 } : { ip6: call.v6 ?? "" }) }),
        read: (reply) => readDdnssAnswer(reply.text),
      },
      deps,
    ),
});
