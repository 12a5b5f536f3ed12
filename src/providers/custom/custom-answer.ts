import { quoteBody } from "../kit/explain-failure.ts";
import type { Reply } from "../kit/rest-api.ts";
import type { UnitVerdict } from "../kit/update-url-provider.ts";
import type { CustomPlan } from "./custom-settings.ts";

/**
 * The success rule applied to one answer (pure). A status the rule accepts, with a body the regex (if any) matches,
 * is success; a 2xx the rule does not accept, or an accepted status whose body does not match, is "could not
 * confirm" with the answer quoted (redacted by the kit's client, shortened). Any other status is left to the kit
 * (`undefined`): 401/403 auth naming the secret's variable, 429 rate-limited with Retry-After, 5xx transient, other
 * 4xx a refused request — each quoting the service's answer.
 */
export function readCustomAnswer(reply: Reply, rule: CustomPlan["success"], service: string): UnitVerdict | undefined {
  const body = reply.text.trim() === "" ? "an empty body" : quoteBody(reply.text, 120);
  if (rule.statuses(reply.status)) {
    if (!rule.regex || rule.regex.test(reply.text)) return { ok: true, outcome: "updated" };
    return { ok: false, problem: { kind: "transient", reason: `${service} answered HTTP ${reply.status} with ${body}, which does not match DDNS_CUSTOM_SUCCESS_REGEX`, mayHaveArrived: true } };
  }
  if (reply.status >= 200 && reply.status < 300) {
    return { ok: false, problem: { kind: "transient", reason: `${service} answered HTTP ${reply.status} with ${body}, a status DDNS_CUSTOM_SUCCESS_STATUS does not accept`, mayHaveArrived: true } };
  }
  return undefined;
}
