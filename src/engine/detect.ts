import type { Logger } from "../log/logger.ts";
import type { DaemonMetrics } from "../metrics/daemon-metrics.ts";
import type { Detection, Family, IpSource } from "../ip/types.ts";
import type { StatusBoard } from "./status-board.ts";
import { isNoPublicAddressError } from "../ip/address-choice.ts";

export interface DetectorDeps {
  source: IpSource;
  /** Asked when the main source sees no public address of a family on its interface (behind NAT → http). */
  fallback?: IpSource;
  log: Logger;
  metrics: DaemonMetrics;
  status: StatusBoard;
  now: () => number;
}

/**
 * Detects each family's address for a round: times it, counts it, logs first detections and changes, and says
 * once per failure streak (not every round) that a family could not be detected.
 */
export function createDetector(deps: DetectorDeps) {
  const current = new Map<Family, string>();
  const failing = new Set<Family>();

  async function detectOne(family: Family, signal: AbortSignal): Promise<Detection> {
    const started = performance.now();
    let d = await deps.source.detect(family, signal);
    if (!d.ok && deps.fallback && !signal.aborted && isNoPublicAddressError(d.error)) {
      deps.log.debug(`${deps.source.type} source: ${d.error}; asking the ${deps.fallback.type} source`);
      d = await deps.fallback.detect(family, signal);
    }
    const label = { family: `ipv${family}` };
    deps.metrics.detectionSeconds.observe((performance.now() - started) / 1000, label);
    deps.metrics.detections.inc({ ...label, result: d.ok ? "ok" : "failed" });
    const at = new Date(deps.now()).toISOString();
    if (!d.ok) {
      deps.status.setAddress(family, { lastError: d.error });
      if (!signal.aborted && !failing.has(family)) {
        deps.log.warn(`Could not detect the IPv${family} address: ${d.error}; its records are left alone until it is detected again`);
      }
      failing.add(family);
      return d;
    }
    if (failing.delete(family)) deps.log.info(`IPv${family} address detection works again`);
    const previous = current.get(family);
    if (previous === undefined) {
      deps.log.info(`Detected IPv${family} address: ${d.address}`, { source: d.source });
    } else if (previous !== d.address) {
      deps.log.info(`IPv${family} address changed: ${previous} → ${d.address}`, { source: d.source });
      deps.metrics.ipChanges.inc(label);
    }
    current.set(family, d.address);
    deps.status.setAddress(family, { address: d.address, detectedAt: at, source: d.source, lastError: null });
    return d;
  }

  return {
    detectAll: (families: Family[], signal: AbortSignal) => Promise.all(families.map((f) => detectOne(f, signal))),
  };
}
