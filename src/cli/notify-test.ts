import type { Config } from "../config/types.ts";
import type { Logger } from "../log/logger.ts";
import { createRedactor } from "../log/redact.ts";
import { createDaemonNotifier, NOTIFY_TIMEOUT_MS } from "../daemon/notifier.ts";
import { smtpChannelFactory } from "../notify/smtp-session.ts";
import { settingsSecrets } from "../notify/channels.ts";
import type { Endpoints } from "../notify/services/service-types.ts";
import { EXIT_CONFIG, EXIT_OK, EXIT_RUNTIME } from "../core/errors.ts";

/**
 * `ddnsd notify test`: one test message to every DDNS_NOTIFY_URLS service and one good-round ping to every
 * heartbeat, at the same time; one line each (`ok` or `FAILED` with the reason, secrets redacted). Exit 0 only
 * when every one accepted it; 2 when one did not; 1 when nothing is configured.
 */
export async function runNotifyTest(config: Config, world: { fetch: typeof fetch; now: () => number; log: Logger; write: (line: string) => void; endpoints?: Endpoints }): Promise<number> {
  const smtp = smtpChannelFactory({ timeoutMs: NOTIFY_TIMEOUT_MS, now: world.now });
  const notifier = createDaemonNotifier(config.notify, { fetch: world.fetch, now: world.now, log: world.log, smtp, ...(world.endpoints ? { endpoints: world.endpoints } : {}) });
  const outcomes = await notifier.test();
  if (outcomes.length === 0) {
    world.write("Nothing to test: set DDNS_NOTIFY_URLS, DDNS_HEALTHCHECKS_URL or DDNS_UPTIMEKUMA_URL.");
    return EXIT_CONFIG;
  }
  const redact = createRedactor(settingsSecrets(config.notify));
  for (const o of outcomes) world.write(redact(o.result.ok ? `ok ${o.label} (${o.display})` : `FAILED ${o.label} (${o.display}): ${o.result.problem}`));
  const failed = outcomes.filter((o) => !o.result.ok).length;
  world.write(failed === 0 ? `All ${outcomes.length} notification channel(s) accepted the test message` : `${failed} of ${outcomes.length} notification channel(s) did not accept the test message`);
  return failed === 0 ? EXIT_OK : EXIT_RUNTIME;
}
