import type { PublicHistoryEntry } from "./public-status.ts";

/**
 * Pure helpers of the status page (status-page.tsx): how times and untrusted texts are written, and the daily
 * counts behind the sparkline. The page is rendered on the server with the daemon's clock, so "5 min ago" is true
 * when the answer leaves (the page refreshes itself every minute).
 */
export const DAY_MS = 86_400_000;

/** `2025-01-02 03:05:01 UTC`, or an em dash for "not yet". */
export function absoluteTime(iso: string | null): string {
  if (iso === null) return "—";
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** `just now`, `42 s ago`, `5 min ago`, `3 h ago`, `2 d ago` (or `in 5 s` for a clock a little ahead). */
export function relativeTime(iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  const ahead = ms < 0;
  const s = Math.round(Math.abs(ms) / 1000);
  const text = s < 5 ? "just now" : s < 60 ? `${s} s` : s < 3600 ? `${Math.round(s / 60)} min` : s < 86_400 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86_400)} d`;
  if (text === "just now") return text;
  return ahead ? `in ${text}` : `${text} ago`;
}

/**
 * An untrusted text with its bounds visible: in typographic quotes, control characters escaped as the logs write
 * them. Not JSON-quoted as in the logs: messages quote values themselves, and `\"` inside them reads badly on a page.
 * (The HTML escaping is JSX's.)
 */
export const quoted = (text: string): string =>
  `“${text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}”`;

export interface DayCount {
  /** `2025-01-02` (UTC). */
  day: string;
  changes: number;
  failures: number;
}

/**
 * Events per UTC day over the last `days` days, oldest first, today last: address changes and record writes count
 * as changes, failed record updates as failures.
 */
export function dailyCounts(history: readonly PublicHistoryEntry[], now: number, days: number): DayCount[] {
  const today = Math.floor(now / DAY_MS);
  const counts: DayCount[] = Array.from({ length: days }, (_, i) => ({
    day: new Date((today - days + 1 + i) * DAY_MS).toISOString().slice(0, 10),
    changes: 0,
    failures: 0,
  }));
  for (const e of history) {
    const index = days - 1 - (today - Math.floor(Date.parse(e.at) / DAY_MS));
    const slot = counts[index];
    if (!slot) continue;
    if (e.kind === "record" && e.result === "failed") slot.failures += 1;
    else slot.changes += 1;
  }
  return counts;
}
