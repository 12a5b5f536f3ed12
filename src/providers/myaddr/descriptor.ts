import { quote } from "../../core/quote.ts";
import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createTokenUrlProvider } from "../kit/token-url.ts";
import type { UnitVerdict } from "../kit/update-url-provider.ts";

/**
 * myaddr (myaddr.tools): `POST <base>/update` with the form `key=<key>&ip=<address>`; the key names the one
 * myaddr name it updates (no host name is sent), one family per request. HTTP 200 = updated, 400 = the request
 * was refused (the body says why), 404 = the key is unknown. Source (2026-12-02): qdm12/ddns-updater
 * providers/myaddr (commit 4b18087); myaddr's own page could not be found with the tools.
 */
export function readMyaddrAnswer(status: number, text: string): UnitVerdict | undefined {
  const body = text.trim() ? ` ${quote(text.trim(), 80)}` : "";
  if (status === 200) return { ok: true, outcome: "updated" };
  if (status === 404) return { ok: false, problem: { kind: "auth", reason: `myaddr answered HTTP 404${body}: the key is not known. Check DDNS_PROVIDER_API_TOKEN.` }, stop: "account" };
  if (status === 400) return { ok: false, problem: { kind: "config", reason: `myaddr answered HTTP 400${body}: it refused the update. Check DDNS_RECORDS and DDNS_PROVIDER_API_TOKEN.` }, stop: "record" };
  return undefined;
}

export const myaddr = defineProvider({
  id: "myaddr",
  name: "myaddr",
  capabilities: { read: false, comments: false, proxied: false },
  ttl: undefined,
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "the name's private key (myaddr.tools)"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "myaddr's base URL (below it: /update)").default("https://myaddr.tools"),
  },
  create: (s, deps) =>
    createTokenUrlProvider(
      {
        id: "myaddr",
        service: "myaddr",
        baseUrl: s.apiUrl,
        path: "/update",
        method: "POST",
        together: false,
        ipv6: true,
        secrets: [s.token],
        answerName: "a myaddr answer",
        params: (call) => ({ key: s.token, ip: call.v4 ?? call.v6 ?? "" }),
        read: (reply) => readMyaddrAnswer(reply.status, reply.text),
      },
      deps,
    ),
});
