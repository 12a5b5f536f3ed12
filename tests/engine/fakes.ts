import type { Notifier } from "../../src/notify/types.ts";
import type { Family } from "../../src/core/family.ts";
import type { Detection, IpSource } from "../../src/ip/types.ts";
import type { DnsProvider, RecordRequest, RecordResult, SetOptions } from "../../src/providers/kit/types.ts";
import { createDaemonMetrics } from "../../src/metrics/daemon-metrics.ts";
import { createStatusBoard } from "../../src/engine/status-board.ts";
import { createMemoryStore } from "../../src/state/memory-store.ts";
import { createReconciler } from "../../src/engine/reconciler.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { expandRecords, type RecordOptions } from "../../src/engine/desired.ts";
import type { StateStore } from "../../src/state/types.ts";

/** An IP source whose answers the test sets. */
export function scriptedSource(initial: Partial<Record<Family, string>>) {
  const addresses = { ...initial };
  const source: IpSource = {
    type: "scripted",
    detect: async (family): Promise<Detection> => {
      const a = addresses[family];
      return a ? { ok: true, family, address: a, source: "test" } : { ok: false, family, error: `no IPv${family} in the script` };
    },
  };
  return { source, set: (family: Family, address: string | undefined) => void (addresses[family] = address) };
}

/** An in-memory provider double that holds records, counts reads/writes and fails on demand. */
export function memoryProvider() {
  const records = new Map<string, string>();
  let writes = 0;
  let calls = 0;
  const failNext: Array<Omit<Extract<RecordResult, { ok: false }>, "request">> = [];
  const provider: DnsProvider = {
    type: "memory",
    canRead: true,
    async setRecords(requests: RecordRequest[], options: SetOptions) {
      calls += 1;
      return requests.map((request): RecordResult => {
        const failure = failNext.shift();
        if (failure) return { ...failure, request };
        const key = `${request.name}/${request.type}`;
        const previous = records.get(key);
        if (previous === request.content) return { ok: true, request, outcome: "unchanged", previous: [previous] };
        if (options.dryRun) return { ok: true, request, outcome: "planned", previous: previous ? [previous] : [] };
        writes += 1;
        records.set(key, request.content);
        return { ok: true, request, outcome: previous ? "updated" : "created", previous: previous ? [previous] : [] };
      });
    },
  };
  return { provider, records, failNext, writes: () => writes, calls: () => calls };
}

/** The one target of the harness (an environment-only configuration's target is named after its provider). */
export const TARGET = "test";

export function harness(
  opts: { records?: string[]; families?: Family[]; optionalFamilies?: Family[]; store?: StateStore; dryRun?: boolean; verifyIntervalMs?: number; random?: () => number; notifier?: Notifier;
    /** Per-record options over the defaults, by name; DDNS_ALLOW_PRIVATE_ADDRESSES. */
    options?: Record<string, Partial<RecordOptions>>; allowPrivate?: boolean;
  } = {},
) {
  let clock = 1_700_000_000_000;
  const now = () => clock;
  const names = opts.records ?? ["home.example.com"];
  const families = opts.families ?? [4];
  // One target, as every environment-only configuration has.
  const records = expandRecords([{ id: TARGET, records: names.map((name) => ({ name, options: { ipVersions: families, ttl: "auto" as const, ...opts.options?.[name] } })) }], families);
  const log = createMemoryLogger("debug", ["sekret-token"]);
  const metrics = createDaemonMetrics({ version: "t", runtime: "bun", startTimeSeconds: 0, rss: () => 1 });
  const status = createStatusBoard({
    version: "t", runtime: "bun", now, families, staleAfterMs: 60_000, optionalFamilies: opts.optionalFamilies,
    records,
  });
  const src = scriptedSource({ 4: "203.0.113.1", 6: "2001:db8::1" });
  const prov = memoryProvider();
  const store = opts.store ?? createMemoryStore();
  const reconciler = createReconciler({
    records, families, optionalFamilies: opts.optionalFamilies, source: src.source, providers: new Map([[TARGET, prov.provider]]), store, log, metrics, status, now,
    random: opts.random ?? (() => 0.5), verifyIntervalMs: opts.verifyIntervalMs ?? 3_600_000, dryRun: opts.dryRun ?? false,
    ...(opts.notifier ? { notifier: opts.notifier } : {}),
    ...(opts.allowPrivate === undefined ? {} : { allowPrivate: opts.allowPrivate }),
  });
  return { reconciler, src, prov, store, log, metrics, status, advance: (ms: number) => void (clock += ms), now, signal: AbortSignal.timeout(10_000) };
}
