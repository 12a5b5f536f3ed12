import { fail, type Answer } from "./answer.ts";

/**
 * For APIs that put the domain into their paths (`/zones/{domain}/records`): a failure's reason shows the URL, and
 * the domain there may be the record's own name (a suffix tried while looking for the zone, an apex record), which
 * a reason must never hold (the engine's headline names the record). The path segment is shown as `{domain}`.
 */
export function hideDomain<T>(answer: Answer<T>, domain: string): Answer<T> {
  if (answer.ok || domain === "") return answer;
  const segment = new RegExp(`/${encodeURIComponent(domain).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?=[/?"]|$)`, "gi");
  return fail({ ...answer.problem, reason: answer.problem.reason.replace(segment, "/{domain}") });
}
