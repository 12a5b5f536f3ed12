import { quote } from "../../core/quote.ts";
import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createTokenUrlProvider } from "../kit/token-url.ts";
import type { UnitVerdict } from "../kit/update-url-provider.ts";

/**
 * DD24 / domaindiscount24 (Key-Systems DynamicDNS): `GET <base>/update.php?hostname=<name>&password=<password>&ip=<IPv4>`
 * (domaindiscount24 help "Dynamic DNS", consulted 2026-12-02: IPv4 in `ip`, one password per DynamicDNS host,
 * and "once a dynamic ip address was successfully updated, subsequent update requests will be denied" for 30
 * minutes). Answers are Key-Systems responses, `code = 200` on success (ddclient.in `nic_keysystems_update`,
 * commit f4dcf6f); "authorization failed" is the refused password (qdm12/ddns-updater providers/dd24, 4b18087).
 * Any other code is quoted as "could not confirm".
 */
export function readDd24Answer(text: string): UnitVerdict | undefined {
  const code = /^\s*code\s*=\s*(\d+)/im.exec(text)?.[1];
  const description = /^\s*description\s*=\s*(.*)$/im.exec(text)?.[1]?.trim() ?? "";
  const said = `DD24 answered ${quote(code ? `code = ${code}${description ? `, ${description}` : ""}` : text.trim(), 80)}`;
  if (/authori[sz]ation failed/i.test(text)) {
    return { ok: false, problem: { kind: "auth", reason: `${said}: the host's DynamicDNS password was refused. Check DDNS_PROVIDER_API_TOKEN and the name in DDNS_RECORDS.` }, stop: "record" };
  }
  if (code === "200") return { ok: true, outcome: "updated" };
  if (code === undefined) return undefined;
  return { ok: false, problem: { kind: "transient", reason: `${said}, which ddnsd cannot read as a confirmation`, mayHaveArrived: true } };
}

export const dd24 = defineProvider({
  id: "dd24",
  name: "DD24 / domaindiscount24 (Key-Systems DynamicDNS)",
  capabilities: { read: false, comments: false, proxied: false },
  ttl: undefined,
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "the DynamicDNS host's password (Domains → DynamicDNS)"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the DynamicDNS base URL (below it: /update.php)").default("https://dynamicdns.key-systems.net"),
  },
  create: (s, deps) =>
    createTokenUrlProvider(
      {
        id: "dd24",
        service: "DD24",
        baseUrl: s.apiUrl,
        path: "/update.php",
        together: false,
        ipv6: false,
        secrets: [s.token],
        answerName: "a Key-Systems DynamicDNS answer",
        params: (call) => ({ hostname: call.units[0]?.name ?? "", password: s.token, ip: call.v4 ?? "" }),
        read: (reply) => readDd24Answer(reply.text),
      },
      deps,
    ),
});
