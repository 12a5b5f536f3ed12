import { parseAddress } from "../../core/address-rules.ts";
import type { FailureKind, RecordRequest, RecordResult, RequestObserver } from "../kit/types.ts";
import { FAILURE_CODES, parseAnswerLines, quote, SYSTEM_BACKOFF_MS, type AnswerLine } from "./return-codes.ts";
import type { TextAnswer } from "../kit/text-get.ts";
import { slotsOf, type Batch, type Unit } from "./update-plan.ts";

/**
 * What one DynDNS2 answer means for the records of its batch (pure): a result per record, plus the effects the
 * provider must remember — records or the whole account to stop, a service backoff, confirmed addresses.
 */
export interface Stop {
  kind: FailureKind;
  message: string;
}

export interface BatchOutcome {
  results: Array<{ index: number; result: RecordResult }>;
  stopAll?: Stop;
  stops: Array<{ index: number; stop: Stop }>;
  backoffMs?: number;
  confirmed: Array<{ index: number; address: string }>;
  /** Hostnames the service answered `nochg` for (the provider warns: repeated nochg gets clients blocked). */
  nochg: Array<{ name: string; line: string }>;
  observed: Parameters<RequestObserver>[0];
}

export interface AnswerContext {
  label: string;
  endpoint: string;
  requests: readonly RecordRequest[];
}

export function interpretAnswer(answer: TextAnswer, batch: Batch, ctx: AnswerContext): BatchOutcome {
  const out: BatchOutcome = { results: [], stops: [], confirmed: [], nochg: [], observed: "ok" };
  const fail = (unit: Unit, kind: FailureKind, message: string, extra: Partial<Extract<RecordResult, { ok: false }>> = {}) => {
    for (const slot of slotsOf(unit)) {
      const request = ctx.requests[slot.index]!;
      out.results.push({ index: slot.index, result: { ok: false, request, kind, message, ...extra } });
    }
  };
  const names = batch.units.map((u) => quote(u.name)).join(", ");
  // Messages are the reason only: the engine names the records and states when it tries again.

  if (!answer.ok) {
    out.observed = answer.failure === "timeout" ? "timeout" : "error";
    for (const unit of batch.units) {
      if (answer.failure === "unreachable") {
        fail(unit, "transient", `could not reach ${ctx.label} at ${ctx.endpoint}: ${answer.detail}`);
      } else {
        fail(unit, "transient", `${ctx.label} did not answer the update (${answer.detail})`, { unconfirmed: true });
      }
    }
    return out;
  }

  if (answer.status === 429) {
    out.observed = "rate-limited";
    for (const unit of batch.units) {
      fail(unit, "rate-limited", `${ctx.label} asked ddnsd to slow down (HTTP 429)`, answer.retryAfterMs === undefined ? {} : { retryAfterMs: answer.retryAfterMs });
    }
    return out;
  }

  let lines = parseAnswerLines(answer.body);
  // deSEC and some others answer with an HTTP status instead of a return code.
  if (!lines && answer.status === 401) lines = [{ text: "HTTP 401", code: "badauth", addresses: [] }];
  if (!lines) {
    out.observed = "error";
    const firstLine = answer.body.trim().split(/\r?\n/)[0] ?? "";
    const shown = firstLine === "" ? "an empty body" : quote(firstLine);
    for (const unit of batch.units) {
      if (answer.status === 404) {
        fail(unit, "config", `${ctx.label} answered HTTP 404: the hostname does not exist there, or DDNS_PROVIDER_API_URL (${ctx.endpoint}) is wrong`);
      } else {
        fail(unit, "transient", `${ctx.label} answered HTTP ${answer.status} with ${shown}, which is not a DynDNS2 answer`, { unconfirmed: true });
      }
    }
    return out;
  }

  const single = lines.length === 1 ? FAILURE_CODES[lines[0]!.code] : undefined;
  const shared = single !== undefined && single.scope !== "host" ? lines[0] : undefined;
  batch.units.forEach((unit, i) => {
    const line = shared ?? lines[i];
    if (!line) {
      out.observed = "error";
      fail(unit, "transient", `${ctx.label} sent no answer line for this name (the request named ${names})`, { unconfirmed: true });
      return;
    }
    applyLine(line, unit, ctx, out, fail);
  });
  return out;
}

function applyLine(line: AnswerLine, unit: Unit, ctx: AnswerContext, out: BatchOutcome, fail: (u: Unit, k: FailureKind, m: string, e?: object) => void): void {
  const rule = FAILURE_CODES[line.code];
  const prefix = `${ctx.label} answered ${quote(line.text)}`;
  if (!rule) {
    const shown = new Set(line.addresses.map((a) => parseAddress(a)?.address ?? a));
    const missing = slotsOf(unit).find((s) => shown.size > 0 && !shown.has(s.address));
    if (missing) {
      out.observed = "error";
      fail(unit, "transient", `${prefix}, which does not show ${missing.address}`, { unconfirmed: true });
      return;
    }
    if (line.code === "nochg") out.nochg.push({ name: unit.name, line: line.text });
    for (const slot of slotsOf(unit)) {
      const request = ctx.requests[slot.index]!;
      out.confirmed.push({ index: slot.index, address: slot.address });
      out.results.push({ index: slot.index, result: { ok: true, request, outcome: line.code === "nochg" ? "unchanged" : "updated", previous: [] } });
    }
    return;
  }
  out.observed = "error";
  if (rule.scope === "system") {
    out.backoffMs = SYSTEM_BACKOFF_MS;
    fail(unit, rule.kind, `${prefix}: ${rule.explain}`, { retryAfterMs: SYSTEM_BACKOFF_MS });
    return;
  }
  const stopping = rule.scope === "account"
    ? "ddnsd stops all updates until it restarts with a corrected configuration."
    : "ddnsd stops updating this record until it restarts with a corrected configuration.";
  const stop: Stop = { kind: rule.kind, message: `${prefix}: ${rule.explain}. ${rule.advice} ${stopping}` };
  if (rule.scope === "account") out.stopAll = stop;
  for (const slot of slotsOf(unit)) out.stops.push({ index: slot.index, stop });
  fail(unit, stop.kind, stop.message, { final: true });
}
