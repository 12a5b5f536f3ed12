import type { StatusBoard } from "../engine/status-board.ts";
import type { FamilyAddress } from "../core/family.ts";
import type { Logger } from "../log/logger.ts";
import { checkPublishable } from "../core/address-rules.ts";
import type { Family } from "../core/family.ts";
import type { PushSource } from "../ip/push/push-source.ts";
import type { ManagedRecord } from "../engine/desired.ts";

/**
 * What the push source starts from after a restart: the addresses the state store holds for the configured
 * records of every target, one per family (the push source holds one per family for the whole daemon). The store's records reach
 * the status board when the engine starts (reconciler `init`), so this reads them there, before the first round.
 *
 * When a family's records disagree (a record whose update failed before the stop), the most recently changed one
 * wins: that is the last address a push got confirmed. An address the current rules refuse (e.g.
 * DDNS_ALLOW_PRIVATE_ADDRESSES turned off since) is not used: the records then wait for a push.
 * A record with an ipv6_suffix holds the pushed prefix + its own suffix, not the pushed address: records without one
 * are preferred; when every AAAA record has a suffix, any of them gives the prefix, which is all they take from it.
 */
export interface StoredRecord {
  content: string | null;
  /** ISO time of the last confirmed change. */
  lastChange: string | null;
}

export interface StoredAddressRules {
  records: readonly ManagedRecord[];
  families: readonly Family[];
  allowPrivate: boolean;
}

export type StoredChoice = { family: Family; address: string; at: number } | { family: Family; refused: string };

export function chooseStoredAddresses(stored: (record: ManagedRecord) => StoredRecord | undefined, rules: StoredAddressRules): StoredChoice[] {
  const choices: StoredChoice[] = [];
  for (const family of rules.families) {
    let best: { address: string; at: number; plain: boolean } | undefined;
    for (const record of rules.records) {
      if (record.family !== family) continue;
      const r = stored(record);
      if (!r?.content) continue;
      const at = r.lastChange === null ? 0 : Date.parse(r.lastChange);
      const when = Number.isFinite(at) ? at : 0;
      const plain = record.options.ipv6Suffix === undefined;
      if (!best || (plain && !best.plain) || (plain === best.plain && when > best.at)) best = { address: r.content, at: when, plain };
    }
    if (!best) continue;
    const verdict = checkPublishable(best.address, family, { allowPrivate: rules.allowPrivate });
    choices.push(verdict.ok ? { family, address: verdict.address, at: best.at } : { family, refused: verdict.reason });
  }
  return choices;
}

/** Hands the stored addresses to the push source, with one line saying what it starts from. */
export function restorePushSource(source: PushSource, status: Pick<StatusBoard, "getRecord">, rules: StoredAddressRules, log: Logger): void {
  const choices = chooseStoredAddresses((record) => status.getRecord(record), rules);
  const usable = choices.filter((c): c is FamilyAddress & { at: number } => "address" in c);
  for (const c of choices) {
    if ("refused" in c) log.warn(`Push source: not starting from the stored IPv${c.family} address: ${c.refused}; its records wait for a push`);
  }
  if (usable.length === 0) return;
  source.restore(usable);
  log.info(`Push source: starting from the stored ${usable.length > 1 ? "addresses" : "address"} ${usable.map((a) => a.address).join(" and ")} (until the next push)`);
}
