/**
 * The notification seam: what the engine tells the notifier, and what a channel is. The engine reports facts
 * (a round began, what a round changed, failed or recovered; the daemon started or is stopping); the notifier
 * decides what becomes a message (message-policy.ts) and delivers it without ever making the engine wait
 * (notifier.ts).
 */

/** One record the round set to a new content (created or updated at its provider). */
export interface RecordChange {
  /** How log lines name the record (`home.example.com (A)`, with the target when there are several). */
  subject: string;
  name: string;
  content: string;
}

/** A record whose failure episode begins: the first retry failed too (or the provider stopped it). */
export interface RecordFailing {
  subject: string;
  /** The reason, as the log line says it (no secret: providers redact). */
  message: string;
}

/** What one round brought, for messages and heartbeats. */
export interface RoundNews {
  changes: RecordChange[];
  failing: RecordFailing[];
  recovered: RecordChange[];
  /** Every managed record is confirmed to hold the current address. */
  confirmed: boolean;
  /** When not confirmed: a short reason for the heartbeat's failure ping. */
  problem?: string;
}

/** What the engine and the lifecycle report to. Every method returns at once; nothing here throws. */
export interface Notifier {
  /** The daemon is up (after its state is loaded, before the first round). */
  started(): void;
  /** A detect-and-reconcile round begins. */
  roundStarted(): void;
  roundEnded(news: RoundNews): void;
  /** The daemon is shutting down. */
  stopping(): void;
  /** Waits at most `budgetMs` for queued deliveries, then gives up on the rest. */
  close(budgetMs: number): Promise<void>;
  /** `ddnsd notify test`: one test message to every channel and heartbeat, each one's outcome. */
  test(): Promise<DeliveryOutcome[]>;
}

export interface Message {
  title: string;
  body: string;
}

/** A heartbeat's state after a round (healthchecks.io, Uptime Kuma). */
export type Beat = { kind: "start" } | { kind: "up"; message: string } | { kind: "down"; message: string };

export type Delivery = { kind: "message"; message: Message } | { kind: "beat"; beat: Beat };

export type SendResult = { ok: true } | { ok: false; problem: string; transient: boolean };

/** One configured destination: a notification service or a heartbeat. */
export interface Channel {
  /** The metric label and the start of every line about it: `ntfy`, `ntfy-2`, `healthchecks`. */
  label: string;
  /** Shown to operators: the service and its host, never a secret (`ntfy://ntfy.example.com/[REDACTED]`). */
  display: string;
  /** Heartbeats get beats; services get messages. */
  kind: "service" | "heartbeat";
  send(delivery: Delivery, signal: AbortSignal): Promise<SendResult>;
}

export interface DeliveryOutcome {
  label: string;
  display: string;
  result: SendResult;
}

/** Nothing configured: every report is dropped at once. */
export const NO_NOTIFIER: Notifier = {
  started() {},
  roundStarted() {},
  roundEnded() {},
  stopping() {},
  close: async () => {},
  test: async () => [],
};
