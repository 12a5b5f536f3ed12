import type { Logger } from "../log/logger.ts";
import type { DaemonMetrics } from "../metrics/daemon-metrics.ts";
import { recordTypeOf, type Family } from "../core/family.ts";
import { type Detection, type IpSource } from "../ip/types.ts";
import type { StatusBoard } from "./status-board.ts";

export interface DetectorDeps {
  source: IpSource;
  /** Asked when the main source's failed detection is marked `wantsFallback` (no public address behind NAT → http). */
  fallback?: IpSource;
  /**
   * Families managed only because DDNS_IP_VERSIONS was left at its default: until one is first detected, it does not
   * hold readiness back and its failures are a reminder at most once an hour (a host without IPv6 is normal).
   */
  optionalFamilies?: Family[];
  log: Logger;
  metrics: DaemonMetrics;
  status: StatusBoard;
  now: () => number;
}

/** How often a default family that was never detected is mentioned again. */
export const OPTIONAL_REMINDER_MS = 3_600_000;

interface FamilyView {
  address?: string;
  /** Detected at least once since start, or asked for explicitly: it counts for readiness. */
  required: boolean;
  failingSince?: number;
  warnedAt?: number;
}

/**
 * Detects each family's address for a round: times it, counts it, keeps the family gauges and the status board's
 * address view, logs first detections and changes, and says once per failure streak (not every round) that a family
 * could not be detected.
 */
export function createDetector(deps: DetectorDeps) {
  const optional = new Set(deps.optionalFamilies ?? []);
  const views = new Map<Family, FamilyView>();
  const view = (family: Family): FamilyView => {
    let v = views.get(family);
    if (!v) views.set(family, (v = { required: !optional.has(family) }));
    return v;
  };
  const gauges = (family: Family, failing: boolean, v: FamilyView) => {
    const label = { family: `ipv${family}` };
    deps.metrics.ipDetectionFailing.set(failing ? 1 : 0, label);
    deps.metrics.ipFamilyAvailable.set(!failing && v.address !== undefined ? 1 : 0, label);
    deps.metrics.ipFamilyRequired.set(v.required ? 1 : 0, label);
  };

  function failed(family: Family, d: Extract<Detection, { ok: false }>, signal: AbortSignal): void {
    const v = view(family);
    const now = deps.now();
    const streakStarts = v.failingSince === undefined;
    v.failingSince ??= now;
    gauges(family, true, v);
    deps.status.setAddress(family, { lastError: d.error, failingSince: new Date(v.failingSince).toISOString(), available: false });
    if (signal.aborted) return;
    if (!v.required) {
      if (v.warnedAt !== undefined && now - v.warnedAt < OPTIONAL_REMINDER_MS) return;
      v.warnedAt = now;
      const other = family === 4 ? 6 : 4;
      deps.log.warn(
        `No IPv${family} address detected: ${d.error}; the ${recordTypeOf(family)} records are left alone and readiness does not wait for them ` +
          `until one is detected. DDNS_IP_VERSIONS is not set: set it to ${other} to stop looking for IPv${family}, or to 4,6 to require it. Reminder in 1h.`,
      );
    } else if (streakStarts) {
      deps.log.warn(`Could not detect the IPv${family} address: ${d.error}; its records are left alone until it is detected again`);
    }
  }

  function detected(family: Family, d: Extract<Detection, { ok: true }>): void {
    const v = view(family);
    const previous = v.address;
    if (v.failingSince !== undefined && previous !== undefined) deps.log.info(`IPv${family} address detection works again`);
    v.failingSince = undefined;
    v.required = true;
    if (previous === undefined) {
      deps.log.info(`Detected IPv${family} address: ${d.address}`, { source: d.source });
    } else if (previous !== d.address) {
      deps.log.info(`IPv${family} address changed: ${previous} → ${d.address}`, { source: d.source });
      deps.metrics.ipChanges.inc({ family: `ipv${family}` });
    }
    v.address = d.address;
    gauges(family, false, v);
    // Against the history, not `previous`: an address that changed while the daemon was stopped is a change too.
    const recorded = deps.status.history.lastAddress(family);
    if (recorded !== d.address) {
      deps.status.history.add({ at: deps.now(), kind: "address", family, from: recorded ?? null, to: d.address, source: d.source });
    }
    const at = new Date(deps.now()).toISOString();
    deps.status.setAddress(family, { address: d.address, detectedAt: at, source: d.source, lastError: null, failingSince: null, available: true, required: true });
  }

  async function detectOne(family: Family, signal: AbortSignal): Promise<Detection> {
    const started = performance.now();
    let d = await deps.source.detect(family, signal);
    if (!d.ok && deps.fallback && !signal.aborted && d.wantsFallback === true) {
      deps.log.debug(`${deps.source.type} source: ${d.error}; asking the ${deps.fallback.type} source`);
      d = await deps.fallback.detect(family, signal);
    }
    const label = { family: `ipv${family}` };
    deps.metrics.detectionSeconds.observe((performance.now() - started) / 1000, label);
    deps.metrics.detections.inc({ ...label, result: d.ok ? "ok" : "failed" });
    if (d.ok) detected(family, d);
    else failed(family, d, signal);
    return d;
  }

  return {
    /** Sets the family gauges for families not detected yet (all 0 but `ddns_ip_family_required`). */
    prime(families: Family[]): void {
      for (const family of families) gauges(family, false, view(family));
    },
    detectAll: (families: Family[], signal: AbortSignal) => Promise.all(families.map((f) => detectOne(f, signal))),
    /** Whether the family counts (explicitly asked for, or detected since start). */
    required: (family: Family) => view(family).required,
  };
}
