import { guardedProvider } from "./per-record.ts";
import { parseAddress } from "../../core/address-rules.ts";
import { quote } from "../../core/quote.ts";
import type { Logger } from "../../log/logger.ts";
import type { DeleteResult, DnsProvider, RecordRequest, RecordResult, SetOptions } from "./types.ts";
import { failed, type Problem } from "./answer.ts";
import { planUpdateCalls, slotsOf, type CallShape, type Unit, type UpdateCall } from "./update-calls.ts";

/**
 * The template for write-only update URLs (the DynDNS2 family, DuckDNS, FreeDNS, Namecheap, `custom`). It cannot
 * read records, so it follows the rules such services ask of clients:
 * - an address already confirmed in this process is not sent again (repeated no-change updates get clients blocked);
 * - an answer that says the configuration is wrong (a fatal answer) stops updates of that record — or of every
 *   record, for account-level answers — until the process restarts with a corrected configuration; such results
 *   are `final` (the engine promises no next attempt);
 * - an answer that says the service has trouble pauses every update for the time it names;
 * - an answer the provider cannot read is "could not confirm", never success.
 * A provider supplies `check` (what it cannot send at all; the template refuses an address of the wrong family
 * itself), the call shape, and `send`, which makes one call and reads its answer into one verdict per unit.
 */
export type UnitVerdict =
  | {
      ok: true;
      outcome: "updated" | "unchanged";
      /** A warning for the log (DynDNS2 `nochg`: repeated no-change updates get clients blocked). */
      warn?: string;
    }
  | {
      ok: false;
      /** For a stop, the reason ends with what the operator must correct; the template adds that ddnsd stops. */
      problem: Problem;
      stop?: "record" | "account";
      /** Pause every update for `ms`; records held meanwhile say "not sent: <reason>". */
      pause?: { ms: number; reason: string };
    };

export interface UpdateUrlApi {
  readonly service: string;
  readonly shape: CallShape;
  /** Why a request can never be sent as configured (a `config` failure), or undefined. */
  check(request: RecordRequest): string | undefined;
  /** One call; one verdict per unit, in order. A transport failure is one problem for the whole call. */
  send(call: UpdateCall, signal: AbortSignal): Promise<{ ok: true; verdicts: UnitVerdict[] } | { ok: false; problem: Problem }>;
  /**
   * DDNS_DELETE_ON_STOP, only where the service documents a way to clear an address (DuckDNS `clear=true`): one result
   * per request (a request's `content` is the address ddnsd published, empty when none). Honours `dryRun`.
   */
  clear?(requests: RecordRequest[], options: SetOptions): Promise<DeleteResult[]>;
}

/** How a call whose answer was read counts in the request metrics: `error` when any unit failed. */
export const verdictsOutcome = (verdicts: readonly UnitVerdict[]): "ok" | "error" => (verdicts.every((v) => v.ok) ? "ok" : "error");

export interface UpdateUrlOptions {
  id: string;
  now: () => number;
  log: Logger;
}

const keyOf = (r: RecordRequest) => `${r.name}/${r.type}`;

const STOPS = {
  record: "ddnsd stops updating this record until it restarts with a corrected configuration.",
  account: "ddnsd stops all updates until it restarts with a corrected configuration.",
} as const;

/** The problem a stop leaves behind: its reason, then what ddnsd does about it. */
function stopProblem(problem: Problem, scope: keyof typeof STOPS): Problem {
  const reason = problem.reason.trimEnd();
  return { kind: problem.kind, reason: `${reason}${/[.!?]$/.test(reason) ? "" : "."} ${STOPS[scope]}` };
}

/** Every update URL takes the address as text: it must be one of the record's family. */
function wrongFamily(request: RecordRequest): string | undefined {
  const family = request.type === "A" ? 4 : 6;
  return parseAddress(request.content)?.family === family ? undefined : `${quote(request.content, 80)} is not an IPv${family} address`;
}

export function createUpdateUrlProvider(api: UpdateUrlApi, tuning: UpdateUrlOptions): DnsProvider {
  const confirmed = new Map<string, string>();
  const stopped = new Map<string, Problem>();
  let stoppedAll: Problem | undefined;
  let pausedUntil = 0;
  let pauseReason = "";

  /** The result a request gets without a call, or undefined when it must be sent. */
  function precheck(request: RecordRequest): RecordResult | undefined {
    const invalid = api.check(request) ?? wrongFamily(request);
    if (invalid) return { ok: false, request, kind: "config", message: invalid };
    const stop = stoppedAll ?? stopped.get(keyOf(request));
    if (stop) return { ok: false, request, kind: stop.kind, message: `not sent: ${stop.reason}`, final: true };
    const now = tuning.now();
    if (now < pausedUntil) return { ok: false, request, kind: "transient", message: `not sent: ${pauseReason}`, retryAfterMs: pausedUntil - now };
    if (confirmed.get(keyOf(request)) === request.content) return { ok: true, request, outcome: "unchanged", previous: [request.content] };
    return undefined;
  }

  function apply(unit: Unit, verdict: UnitVerdict, results: RecordResult[]): void {
    if (verdict.ok && verdict.warn) tuning.log.warn(verdict.warn);
    const stop = !verdict.ok && verdict.stop ? stopProblem(verdict.problem, verdict.stop) : undefined;
    for (const slot of slotsOf(unit)) {
      const key = keyOf(slot.request);
      if (verdict.ok) {
        confirmed.set(key, slot.request.content);
        results[slot.index] = { ok: true, request: slot.request, outcome: verdict.outcome, previous: [] };
        continue;
      }
      confirmed.delete(key);
      if (stop) {
        // The engine reports the failure once for every record it stops; this is for tracing only.
        tuning.log.debug(`Stopping ${api.service} updates`, { record: slot.request.name, type: slot.request.type, scope: verdict.stop });
        if (verdict.stop === "record") stopped.set(key, stop);
        results[slot.index] = { ok: false, request: slot.request, kind: stop.kind, message: stop.reason, final: true };
      } else {
        results[slot.index] = failed(slot.request, verdict.problem, true);
      }
    }
    if (verdict.ok) return;
    if (verdict.stop === "account" && stop) stoppedAll = stop;
    if (verdict.pause) {
      pausedUntil = tuning.now() + verdict.pause.ms;
      pauseReason = verdict.pause.reason;
    }
  }

  async function setRecords(requests: RecordRequest[], options: SetOptions, results: RecordResult[]): Promise<void> {
    const pending: Array<{ index: number; request: RecordRequest }> = [];
    requests.forEach((request, index) => {
      const early = precheck(request);
      if (early) results[index] = early;
      else if (options.dryRun) results[index] = { ok: true, request, outcome: "planned", previous: [] };
      else pending.push({ index, request });
    });
    for (const call of planUpdateCalls(pending, api.shape)) {
      // An earlier call of this round may have stopped the account or started a pause.
      const blocked = call.units.flatMap(slotsOf).map((s) => [s, precheck(s.request)] as const);
      if (blocked.some(([, r]) => r !== undefined)) {
        for (const [s, r] of blocked) results[s.index] = r ?? { ok: false, request: s.request, kind: "transient", message: "not sent: another record of the same update call was held back" };
        continue;
      }
      tuning.log.debug(`Sending a ${api.service} update`, { names: call.units.map((u) => u.name).join(","), ...(call.v4 ? { v4: call.v4 } : {}), ...(call.v6 ? { v6: call.v6 } : {}) });
      const answer = await api.send(call, options.signal);
      call.units.forEach((unit, i) => {
        const verdict: UnitVerdict = answer.ok
          ? (answer.verdicts[i] ?? { ok: false, problem: { kind: "transient", reason: `${api.service} sent no answer for ${JSON.stringify(unit.name)}`, mayHaveArrived: true } })
          : { ok: false, problem: answer.problem };
        apply(unit, verdict, results);
      });
    }
  }

  const provider = guardedProvider(tuning.id, false, setRecords);
  const clear = api.clear;
  if (!clear) return provider;
  return {
    ...provider,
    async deleteRecords(requests, options) {
      let results: DeleteResult[];
      try {
        results = await clear(requests, options);
      } catch (error) {
        return requests.map((request) => ({ ok: false, request, message: `ddnsd failed unexpectedly (${error instanceof Error ? error.message : String(error)}); please report this` }));
      }
      // A cleared address is no longer "confirmed": a later update sends it again.
      if (!options.dryRun) for (const r of results) if (r.ok) confirmed.delete(keyOf(r.request));
      return requests.map((request, i) => results[i] ?? { ok: false, request, message: `the ${api.service} provider returned no result` });
    },
  };
}
