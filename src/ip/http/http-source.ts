import type { Logger } from "../../log/logger.ts";
import { displayUrl } from "../../net/display-url.ts";
import type { Family } from "../../core/family.ts";
import type { Detection, IpSource } from "../types.ts";
import { fetchAnswer } from "./fetch-answer.ts";
import { parseIpAnswer } from "./parse-answer.ts";

export interface HttpSourceDeps {
  fetch: typeof fetch;
  urls: Record<Family, string[]>;
  allowPrivate: boolean;
  log: Logger;
  userAgent: string;
  /** Per-request budget. */
  timeoutMs?: number;
  /** When an endpoint has not answered after this long, the next one starts too (hedging). */
  hedgeDelayMs?: number;
  maxBodyBytes?: number;
}

/**
 * The `http` source: asks public "what is my IP" endpoints. Requests are hedged — the first starts at once, the
 * next after `hedgeDelayMs` if no valid answer came yet, or at once when one fails — and the first valid answer
 * wins; the rest are aborted. An unusable answer never reaches DNS: the failed detection names every endpoint
 * (its query elided) and what was wrong with its answer (each is also logged at debug).
 */
export function createHttpSource(deps: HttpSourceDeps): IpSource {
  const timeoutMs = deps.timeoutMs ?? 5000;
  const hedgeDelayMs = deps.hedgeDelayMs ?? 750;
  const maxBytes = deps.maxBodyBytes ?? 4096;

  async function detect(family: Family, signal: AbortSignal): Promise<Detection> {
    const urls = deps.urls[family];
    const race = new AbortController();
    const stop = () => race.abort();
    signal.addEventListener("abort", stop, { once: true });
    const reasons: string[] = [];
    let hedge: ReturnType<typeof setTimeout> | undefined;

    try {
      return await new Promise<Detection>((resolve) => {
        let next = 0;
        let inFlight = 0;
        let settled = false;
        const finish = (d: Detection) => {
          if (settled) return;
          settled = true;
          resolve(d);
        };
        const launch = () => {
          clearTimeout(hedge);
          if (settled || next >= urls.length) return;
          const url = urls[next++]!;
          inFlight += 1;
          hedge = setTimeout(launch, hedgeDelayMs);
          void attempt(url).then((result) => {
            inFlight -= 1;
            if (settled) return;
            // Shown without its query, which may hold an API key (displayUrl); main.ts also registers those
            // values with the logger's redactor.
            const shown = displayUrl(url);
            if (result.ok) return finish({ ok: true, family, address: result.address, source: shown });
            if (signal.aborted) return finish({ ok: false, family, error: "detection was cancelled" });
            reasons.push(`${JSON.stringify(shown)}: ${result.reason}`);
            // At debug: the engine reports a failed detection once (with these reasons), not every endpoint every round.
            deps.log.debug(`IP endpoint ${JSON.stringify(shown)} gave no usable IPv${family} address: ${result.reason}`);
            if (next < urls.length) launch();
            else if (inFlight === 0) {
              finish({ ok: false, family, error: `no endpoint gave a usable IPv${family} address (${reasons.join("; ")})` });
            }
          });
        };
        const attempt = async (url: string) => {
          const answer = await fetchAnswer(url, { fetch: deps.fetch, signal: race.signal, timeoutMs, maxBytes, userAgent: deps.userAgent });
          return answer.ok ? parseIpAnswer(answer.body, family, { allowPrivate: deps.allowPrivate }) : answer;
        };
        if (urls.length === 0) finish({ ok: false, family, error: `no IPv${family} endpoints are configured` });
        else launch();
      });
    } finally {
      clearTimeout(hedge);
      race.abort();
      signal.removeEventListener("abort", stop);
    }
  }

  return { type: "http", detect };
}
