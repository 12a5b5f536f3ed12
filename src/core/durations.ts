/** Durations as operators write them: `500ms`, `30s`, `5m`, `1h`, or combined like `1h30m`. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/** Milliseconds, or `undefined` when the text is not a duration. A bare number is refused: the unit is required. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (!WHOLE.test(t)) return undefined;
  let total = 0;
  for (const [, value, unit] of t.matchAll(PART)) total += Number(value) * UNIT_MS[unit!]!;
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/** The inverse, for messages: 30000 → `30s`, 90000 → `1m30s`, 1500 → `1.5s`, 250 → `250ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms % 1000 !== 0 && ms < 60_000) return `${ms / 1000}s`;
  let rest = Math.round(ms / 1000);
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s || (!h && !m) ? `${s}s` : ""}`;
}
