import type { Logger } from "../log/logger.ts";
import type { Counter } from "../metrics/registry.ts";
import { describeError } from "../core/errors.ts";
import { createMessagePolicy, TEST_MESSAGE } from "./message-policy.ts";
import type { Channel, Delivery, DeliveryOutcome, Notifier, SendResult } from "./types.ts";

/**
 * Fans every report out to every channel, and never makes the caller wait: each channel has its own small queue
 * (the oldest delivery is dropped when it is full) and sends one delivery at a time, each request with its own
 * deadline (http-channel.ts), one retry after a transient failure. A failing channel is logged once per distinct
 * problem and once when it works again; every outcome is counted in `ddns_notifications_total{channel,result}`
 * (sent, failed, dropped). `close` gives the queues a budget at shutdown, then abandons what is left. Where the
 * runtime ends work it is not told about (a Worker once the answer is out), `waitUntil` gets, for each report, the
 * promise of the queues it joined running dry — the retry included.
 */
export interface NotifierDeps {
  channels: readonly Channel[];
  log: Logger;
  counter?: Counter;
  /** Deliveries waiting per channel. */
  queueLimit?: number;
  /** Wait before the one retry of a transient failure. */
  retryDelayMs?: number;
  /** Keeps deliveries alive past the caller's own work (the Worker's `ctx.waitUntil`); the daemon needs none. */
  waitUntil?: (work: Promise<void>) => void;
}

interface Lane {
  channel: Channel;
  queue: Delivery[];
  busy?: Promise<void>;
  problem?: string;
}

export const RESULTS = ["sent", "failed", "dropped"] as const;

export function createNotifier(deps: NotifierDeps): Notifier {
  const limit = deps.queueLimit ?? 16;
  const retryDelayMs = deps.retryDelayMs ?? 2000;
  const abort = new AbortController();
  const policy = createMessagePolicy();
  const lanes: Lane[] = deps.channels.map((channel) => ({ channel, queue: [] }));
  const count = (lane: Lane, result: (typeof RESULTS)[number]) => deps.counter?.inc({ channel: lane.channel.label, result });
  const name = (c: Channel) => `${c.label} (${c.display})`;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      abort.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });

  async function attempt(channel: Channel, delivery: Delivery): Promise<SendResult> {
    try {
      return await channel.send(delivery, abort.signal);
    } catch (error) {
      return { ok: false, problem: describeError(error), transient: false };
    }
  }

  async function deliver(lane: Lane, delivery: Delivery): Promise<void> {
    let result = await attempt(lane.channel, delivery);
    if (!result.ok && result.transient && !abort.signal.aborted) {
      await pause(retryDelayMs);
      if (!abort.signal.aborted) result = await attempt(lane.channel, delivery);
    }
    if (result.ok) {
      count(lane, "sent");
      if (lane.problem !== undefined) deps.log.info(`Notifications to ${name(lane.channel)} work again`);
      lane.problem = undefined;
      return;
    }
    count(lane, "failed");
    if (abort.signal.aborted) return;
    if (lane.problem !== result.problem) {
      deps.log.warn(`Could not notify ${name(lane.channel)}: ${result.problem}; the daemon goes on, later messages are still tried (ddns_notifications_total counts each)`);
    }
    lane.problem = result.problem;
  }

  function pump(lane: Lane): void {
    if (lane.busy) return;
    lane.busy = (async () => {
      while (lane.queue.length > 0 && !abort.signal.aborted) await deliver(lane, lane.queue.shift()!);
    })()
      .catch((error) => deps.log.error(`Notification queue of ${lane.channel.label} stopped: ${describeError(error)}`))
      .finally(() => {
        lane.busy = undefined;
        if (lane.queue.length > 0 && !abort.signal.aborted) pump(lane);
      });
  }

  /** Resolves when the lane has nothing left to send (its pump may start again from its own `finally`). */
  async function drained(lane: Lane): Promise<void> {
    while (lane.busy) await lane.busy;
  }

  function enqueue(delivery: Delivery): void {
    if (abort.signal.aborted) return;
    const kind = delivery.kind === "message" ? "service" : "heartbeat";
    const joined = lanes.filter((lane) => lane.channel.kind === kind);
    for (const lane of joined) {
      if (lane.queue.length >= limit) {
        lane.queue.shift();
        count(lane, "dropped");
      }
      lane.queue.push(delivery);
      pump(lane);
    }
    if (deps.waitUntil && joined.length > 0) deps.waitUntil(Promise.all(joined.map(drained)).then(() => {}));
  }

  return {
    started: () => policy.started(),
    roundStarted: () => enqueue({ kind: "beat", beat: { kind: "start" } }),
    roundEnded(news) {
      for (const message of policy.messages(news)) enqueue({ kind: "message", message });
      enqueue({ kind: "beat", beat: policy.beat(news) });
    },
    stopping() {},
    async close(budgetMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const idle = Promise.all(lanes.map(async (lane) => {
        while (lane.busy) await lane.busy;
      }));
      await Promise.race([idle, new Promise<void>((r) => (timer = setTimeout(r, budgetMs)))]);
      clearTimeout(timer);
      abort.abort(new Error("the daemon is shutting down"));
    },
    test: () =>
      Promise.all(
        lanes.map(async (lane): Promise<DeliveryOutcome> => {
          const delivery: Delivery = lane.channel.kind === "service" ? { kind: "message", message: TEST_MESSAGE } : { kind: "beat", beat: { kind: "up", message: "ddnsd notify test" } };
          const result = await attempt(lane.channel, delivery);
          count(lane, result.ok ? "sent" : "failed");
          return { label: lane.channel.label, display: lane.channel.display, result };
        }),
      ),
  };
}
