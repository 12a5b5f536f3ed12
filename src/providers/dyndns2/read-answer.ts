import { parseAddress } from "../../core/address-rules.ts";
import { quote } from "../../core/quote.ts";
import type { Reply } from "../kit/rest-api.ts";
import { slotsOf, type Unit, type UpdateCall } from "../kit/update-calls.ts";
import type { UnitVerdict } from "../kit/update-url-provider.ts";
import { FAILURE_CODES, parseAnswerLines, SYSTEM_BACKOFF_MS, type AnswerLine } from "./return-codes.ts";

/**
 * What one DynDNS2 answer says about each hostname of its call (pure): one verdict per unit, or `undefined` when
 * the body holds no return codes (an HTML page, a proxy's error), which the kit then sorts by its HTTP status.
 * The answer has one line per hostname in request order, except account and system codes, given once for all.
 * Reasons only: the engine names the records; the template adds that ddnsd stops after a fatal code.
 */
/** How the provider is named in messages, and the variables its advice points to. */
export interface AnswerWords {
  label: string;
  usernameVariable: string;
  /** What chose the service: DDNS_DYNDNS2_PRESET, or DDNS_PROVIDER_TYPE for a service's own id. */
  serviceVariable: string;
}

export function readDynDns2Answer(reply: Reply, call: UpdateCall, words: AnswerWords): UnitVerdict[] | undefined {
  let lines = parseAnswerLines(reply.text);
  // deSEC and some others answer with an HTTP status instead of a return code.
  if (!lines && reply.status === 401) lines = [{ text: "HTTP 401", code: "badauth", addresses: [] }];
  if (!lines) return undefined;
  const single = lines.length === 1 ? FAILURE_CODES[lines[0]!.code] : undefined;
  const shared = single !== undefined && single.scope !== "host" ? lines[0] : undefined;
  const names = call.units.map((u) => quote(u.name, 80)).join(", ");
  return call.units.map((unit, i): UnitVerdict => {
    const line = shared ?? lines[i];
    if (line) return verdictOf(line, unit, words);
    return { ok: false, problem: { kind: "transient", reason: `${words.label} sent no answer line for this name (the request named ${names})`, mayHaveArrived: true } };
  });
}

function verdictOf(line: AnswerLine, unit: Unit, words: AnswerWords): UnitVerdict {
  const { label } = words;
  const rule = FAILURE_CODES[line.code];
  const said = `${label} answered ${quote(line.text, 80)}`;
  if (!rule) {
    const shown = new Set(line.addresses.map((a) => parseAddress(a)?.address ?? a));
    const missing = slotsOf(unit).find((s) => shown.size > 0 && !shown.has(s.address));
    if (missing) return { ok: false, problem: { kind: "transient", reason: `${said}, which does not show ${missing.address}`, mayHaveArrived: true } };
    if (line.code !== "nochg") return { ok: true, outcome: "updated" };
    const warn = `${said} for ${quote(unit.name, 80)}: it already held the address. Repeated no-change updates can get a client blocked; ddnsd sends again only when the address changes.`;
    return { ok: true, outcome: "unchanged", warn };
  }
  if (rule.scope === "system") {
    return {
      ok: false,
      problem: { kind: rule.kind, reason: `${said}: ${rule.explain}`, retryAfterMs: SYSTEM_BACKOFF_MS },
      pause: { ms: SYSTEM_BACKOFF_MS, reason: `${label} reported a problem on its side (${quote(line.text, 80)}), so updates are paused` },
    };
  }
  const advice = rule.advice.replaceAll("{username}", words.usernameVariable).replaceAll("{service}", words.serviceVariable);
  const problem = { kind: rule.kind, reason: `${said}: ${rule.explain}. ${advice}` };
  if (!rule.fatal) return { ok: false, problem };
  return { ok: false, problem, stop: rule.scope === "account" ? "account" : "record" };
}
