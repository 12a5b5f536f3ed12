import { failed, type Problem } from "./answer.ts";
import type { RecordPlan } from "./record-plan.ts";
import type { RecordRequest, RecordResult } from "./types.ts";

/**
 * The templates' failures say which step failed, before the service's reason: "while looking up the zone,
 * Cloudflare refused the API token (…)", "while writing the record set, Cloud DNS refused the change (…)". The one
 * table of those words for the record template (record-provider.ts, record-writes.ts) and the set-replacing one
 * (rrset-provider.ts: `set-…` steps). A write whose answer was lost is `unconfirmed` (the engine's "could not
 * confirm"); the record template's also says what happens next for that record — its cached id is dropped, so it
 * is read back before anything is written again (the set template reads every set before writing it anyway). A
 * missing zone, or a set that is not ddnsd's (`step` undefined), is its own sentence.
 */
export type Step = "zone" | "read" | "update" | "create" | "delete" | "registry-read" | "registry" | "registry-move" | "adopt" | "set-read" | "set-write" | "set-confirm";

const WHILE: Record<Step, string> = {
  zone: "while looking up the zone",
  read: "while reading the records",
  update: "while updating the record",
  create: "while creating the record",
  delete: "while deleting a duplicate record",
  "registry-read": "while reading the owner TXT records (DDNS_OWNER_ID)",
  registry: "while writing the owner TXT record (DDNS_OWNER_ID) of the record just created",
  "registry-move": "while writing the owner TXT record (DDNS_OWNER_ID) of the record the update gave a new id",
  adopt: "while writing the owner TXT record (DDNS_OWNER_ID) of a record to adopt (DDNS_OWNER_ADOPT)",
  "set-read": "while reading the record set",
  "set-write": "while writing the record set",
  "set-confirm": "while waiting for the change to be applied",
};

const WRITES: ReadonlySet<Step> = new Set(["update", "create", "delete", "registry", "registry-move", "adopt", "set-write", "set-confirm"]);
/** Writes of the record template, whose cached id a lost answer drops. */
const CACHED: ReadonlySet<Step> = new Set(["update", "create", "delete", "registry", "registry-move", "adopt"]);

/** The problem of one step, or of no step (`undefined`: the reason stands alone). */
export interface StepProblem {
  problem: Problem;
  step: Step | undefined;
}

export function failedAt(request: RecordRequest, problem: Problem, step: Step | undefined): RecordResult {
  const write = step !== undefined && WRITES.has(step);
  const unconfirmed = write && problem.mayHaveArrived === true;
  const reason = unconfirmed && CACHED.has(step) ? `${problem.reason}; the record is read back before it is written again` : problem.reason;
  return failed(request, { ...problem, reason: step ? `${WHILE[step]}, ${reason}` : reason }, write);
}

/** The step a plan's writes stand for in a message (a batch that failed whole). */
export const writeStep = (plan: RecordPlan): Step => (plan.create ? "create" : plan.update ? "update" : "delete");
