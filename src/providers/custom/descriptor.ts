import { quote } from "../../core/quote.ts";
import { displayUrl } from "../../net/display-url.ts";
import { defineProvider } from "../kit/descriptor.ts";
import { dnsName, oneOf, secret, text } from "../kit/fields.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { DnsProvider, ProviderDeps, RecordRequest } from "../kit/types.ts";
import { createUpdateUrlProvider, verdictsOutcome } from "../kit/update-url-provider.ts";
import { readCustomAnswer } from "./custom-answer.ts";
import { compileCustom, multiLine, V, type CustomSettings } from "./custom-settings.ts";
import type { Values } from "./custom-template.ts";

/**
 * `custom`: any HTTP API without code. One request per record, built from templates (custom-template.ts) —
 * DDNS_CUSTOM_URL, DDNS_CUSTOM_METHOD, DDNS_CUSTOM_HEADERS, DDNS_CUSTOM_BODY — and judged by the success rule
 * (DDNS_CUSTOM_SUCCESS_STATUS, DDNS_CUSTOM_SUCCESS_REGEX), on the kit's update-URL template (write-only). Secrets
 * enter only through {token}/{key}; the kit's client redacts them from everything it hands back.
 */
function valuesOf(request: RecordRequest, zone: string, s: CustomSettings): Values {
  const v4 = request.type === "A" ? request.content : "";
  return { name: request.name, zone, ip: request.content, ip4: v4, ip6: request.type === "AAAA" ? request.content : "", type: request.type, ttl: typeof request.ttl === "number" ? String(request.ttl) : "", token: s.token ?? "", key: s.key ?? "" };
}

const zoneOf = (name: string, zone: string | undefined) => (zone === undefined ? name.split(".").slice(-2).join(".") : name === zone || name.endsWith(`.${zone}`) ? zone : undefined);

function createCustomProvider(s: CustomSettings, deps: ProviderDeps): DnsProvider {
  const compiled = compileCustom(s);
  if (!compiled.ok) throw new Error(`${compiled.issue.variable} ${compiled.issue.reason}`);
  const plan = compiled.value;
  const service = new URL(plan.origin).host;
  const secrets = [s.token, s.key].filter((x): x is string => x !== undefined);
  const secretVariable = s.key === undefined ? V.token : `${V.token} and ${V.key}`;
  const cut = s.url.search(/[?#]/);
  const shownUrl = cut < 0 ? s.url : `${s.url.slice(0, cut)}?…`;
  const api = createRestApi(deps, { service, baseUrl: plan.origin, secrets, timeoutMs: 30_000, urlVariable: V.url, secretVariable, answerName: "an answer the success rule accepts" });
  return createUpdateUrlProvider(
    {
      service,
      shape: { together: false, maxPerCall: 1 },
      check: (request) => (zoneOf(request.name, s.zone) === undefined ? `the name is not in ${quote(s.zone ?? "", 80)} (DDNS_CUSTOM_ZONE): correct DDNS_RECORDS or DDNS_CUSTOM_ZONE` : undefined),
      async send(call, signal) {
        const slot = (call.units[0]!.v4 ?? call.units[0]!.v6)!;
        const values = valuesOf(slot.request, zoneOf(slot.request.name, s.zone)!, s);
        const headers = Object.fromEntries([...(plan.contentType ? [["Content-Type", plan.contentType] as const] : []), ...plan.headers.map(([name, t]) => [name, t.render(values)] as const)]);
        const init = { headers, write: true, signal, ...(plan.body ? { body: plan.body.render(values) } : {}) };
        const url = plan.origin + plan.rest.render(values, encodeURIComponent);
        const answer = await api.reply(plan.method, url, init, (reply) => {
          const verdict = readCustomAnswer(reply, plan.success, service);
          return verdict && [verdict];
        }, verdictsOutcome);
        if (answer.ok) return { ok: true, verdicts: answer.value };
        // A reason shows the URL as configured, not as filled in: the engine names the record, the reason does not.
        return { ok: false, problem: { ...answer.problem, reason: answer.problem.reason.replaceAll(api.redact(displayUrl(url)), shownUrl) } };
      },
    },
    { id: "custom", now: deps.now, log: deps.log },
  );
}

export const custom = defineProvider({
  id: "custom",
  name: "Any HTTP API (templates)",
  capabilities: { read: false, comments: false, proxied: false },
  ttl: undefined,
  fields: {
    url: text(V.url, "the request URL, with {name} {zone} {ip} {ip4} {ip6} {type} {ttl} {token} {key} placeholders").required("https://api.example.net/update?host={name}&ip={ip}"),
    method: oneOf(V.method, "the HTTP method", ["get", "post", "put", "patch", "delete"] as const).default("GET"),
    headers: text(V.headers, 'request headers as a JSON object, placeholders allowed, e.g. {"Authorization": "Bearer {token}"}').optional().shownAs(headerNames),
    body: text(V.body, "the request body template (not with GET); sent as JSON when it starts with { or [, else as a form, unless a Content-Type header says otherwise", multiLine).optional(),
    successStatus: text(V.successStatus, "the HTTP statuses that mean success, e.g. 2xx or 200,204").default("2xx"),
    successRegex: text(V.successRegex, "a regular expression the answer's body must match as well").optional(),
    zone: dnsName("DDNS_CUSTOM_ZONE", "what {zone} is (default: the last two labels of each name)").optional(),
    token: secret(V.token, "the secret {token} stands for").optional(),
    key: secret(V.key, "the second secret {key} stands for").optional(),
  },
  refine: (s) => {
    const compiled = compileCustom(s);
    return compiled.ok ? undefined : compiled.issue;
  },
  create: createCustomProvider,
});

/** `check` shows which headers are sent, never their values (a pasted credential instead of {token} stays hidden). */
function headerNames(raw: string): string {
  try {
    return `${Object.keys(JSON.parse(raw) as object).join(", ")} (values not shown)`;
  } catch {
    return "(not shown)";
  }
}
