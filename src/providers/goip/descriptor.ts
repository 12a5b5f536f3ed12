import { quote } from "../../core/quote.ts";
import { defineProvider } from "../kit/descriptor.ts";
import { secret, text, url } from "../kit/fields.ts";
import { createTokenUrlProvider } from "../kit/token-url.ts";
import type { UpdateCall } from "../kit/update-calls.ts";
import type { UnitVerdict } from "../kit/update-url-provider.ts";

/**
 * GoIP (goip.de): `GET <base>/setip?subdomain=<name>&username=<user>&password=<password>&ip=<IPv4>` (or
 * `ip6=<IPv6>`) `&shortResponse=true`, one family per request. With `shortResponse` it answers
 * `<subdomain> (<ip>)` on success and "Zugriff verweigert" when the credentials are refused. Source (2026-12-02):
 * qdm12/ddns-updater providers/goip (commit 4b18087); GoIP's own help page could not be found with the tools.
 */
export function readGoIpAnswer(body: string, call: UpdateCall): UnitVerdict | undefined {
  const text = body.trim();
  const name = call.units[0]?.name ?? "";
  const address = call.v4 ?? call.v6 ?? "";
  if (text.toLowerCase().startsWith(`${name} (${address})`.toLowerCase())) return { ok: true, outcome: "updated" };
  if (/^zugriff verweigert/i.test(text)) {
    return { ok: false, problem: { kind: "auth", reason: `GoIP answered ${quote(text, 80)}: the user name and password were refused. Check DDNS_GOIP_USERNAME and DDNS_PROVIDER_API_TOKEN.` }, stop: "account" };
  }
  return undefined;
}

export const goip = defineProvider({
  id: "goip",
  name: "GoIP",
  capabilities: { read: false, comments: false, proxied: false },
  ttl: undefined,
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "the GoIP password"),
    username: text("DDNS_GOIP_USERNAME", "the GoIP user name").required("myuser"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "GoIP's base URL (below it: /setip)").default("https://www.goip.de"),
  },
  create: (s, deps) =>
    createTokenUrlProvider(
      {
        id: "goip",
        service: "GoIP",
        baseUrl: s.apiUrl,
        path: "/setip",
        together: false,
        ipv6: true,
        secrets: [s.token],
        answerName: "a GoIP answer",
        params: (call) => ({
          subdomain: call.units[0]?.name ?? "",
          username: s.username,
          password: s.token,
          shortResponse: "true",
          ...(call.v4 ? { ip: call.v4 } : { ip6: call.v6 ?? "" }),
        }),
        read: (reply, call) => readGoIpAnswer(reply.text, call),
      },
      deps,
    ),
});
