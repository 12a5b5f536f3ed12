import type { Logger } from "../log/logger.ts";
import type { DaemonMetrics } from "../metrics/daemon-metrics.ts";
import { USER_AGENT } from "../core/version.ts";
import { createChannels, settingsLabels, type NotifySettings } from "../notify/channels.ts";
import { createNotifier, RESULTS } from "../notify/notifier.ts";
import type { Endpoints } from "../notify/services/service-types.ts";
import type { SmtpChannelFactory } from "../notify/smtp-session.ts";
import { NO_NOTIFIER, type Notifier } from "../notify/types.ts";

/** Deadline of one notification request: a slow webhook waits this long at most, and never holds up a round. */
export const NOTIFY_TIMEOUT_MS = 10_000;

/**
 * The notifier of the daemon and of the Worker: every configured channel and heartbeat, their metric series primed
 * at 0 (`ddns_notifications_total{channel,result}`), or the no-op notifier when nothing is configured. The Worker
 * gives `waitUntil` (its requests' `ctx.waitUntil`), so the runtime does not cut a delivery off after the answer.
 */
export function createDaemonNotifier(
  settings: NotifySettings,
  world: { fetch: typeof fetch; now: () => number; log: Logger; metrics?: DaemonMetrics; endpoints?: Endpoints; timeoutMs?: number; smtp?: SmtpChannelFactory; waitUntil?: (work: Promise<void>) => void },
): Notifier {
  const channels = createChannels(settings, { fetch: world.fetch, now: world.now, userAgent: USER_AGENT, timeoutMs: world.timeoutMs ?? NOTIFY_TIMEOUT_MS }, world.endpoints, world.smtp);
  if (channels.length === 0) return NO_NOTIFIER;
  for (const channel of settingsLabels(settings)) for (const result of RESULTS) world.metrics?.notifications.inc({ channel, result }, 0);
  return createNotifier({ channels, log: world.log, ...(world.metrics ? { counter: world.metrics.notifications } : {}), ...(world.waitUntil ? { waitUntil: world.waitUntil } : {}) });
}
