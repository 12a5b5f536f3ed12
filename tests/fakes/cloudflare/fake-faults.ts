/**
 * Fault injection for the fake: each rule matches requests by method and path pattern and fires for the next
 * `times` matches, or with a `probability` drawn from a seedable RNG (so a random-fault test is reproducible).
 * `afterApply: true` lets the request take effect first and then spoils its answer (a write whose answer is lost).
 */

export type Rng = () => number;

/** mulberry32: small, fast, deterministic. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type FaultKind =
  /** An HTTP status with a Cloudflare error envelope (default 500). */
  | "status"
  /** 429 with `Retry-After` and code 971. */
  | "rate-limit"
  /** An HTML error page (default status 502). */
  | "html"
  /** HTTP 200 with `success: false`. */
  | "success-false"
  /** A body that is not JSON. */
  | "invalid-json"
  /** The connection is closed without an answer. */
  | "reset"
  /** No answer at all (until the fake stops), or an answer after `delayMs`. */
  | "hang"
  /** The normal answer, gzip-compressed whatever the request's Accept-Encoding said (a proxy that compresses). */
  | "gzip"
  /** HTTP 200 with a gzip bomb: `mib` MiB of zeros (default 1024) in about a thousandth of that. */
  | "gzip-bomb"
  /** HTTP 200 with a body that never ends. */
  | "endless";

export interface FaultRule {
  kind: FaultKind;
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Path pattern after the API base, `*` matching one segment and `**` anything, e.g. `/zones/* /dns_records/*`. */
  path?: string;
  /** Fire for the next N matching requests (default 1 unless `probability` is set). */
  times?: number;
  /** Fire with this probability on every match (0…1), forever or for `times` firings. */
  probability?: number;
  status?: number;
  retryAfter?: number;
  errors?: Array<{ code: number; message: string }>;
  /** For `gzip-bomb`: the inflated size in MiB. */
  mib?: number;
  /** For `hang`: answer normally after this many milliseconds instead of never. */
  delayMs?: number;
  /** Apply the request to the fake's state first, then spoil the answer. */
  afterApply?: boolean;
}

interface ActiveRule extends FaultRule {
  remaining: number;
}

function pathMatcher(pattern: string): RegExp {
  const escaped = pattern
    .split("/")
    .map((seg) => (seg === "**" ? ".*" : seg.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*")))
    .join("/");
  return new RegExp(`^${escaped}/?$`);
}

export function createFaults(seed: number) {
  let rng = createRng(seed);
  let rules: ActiveRule[] = [];
  return {
    add(rule: FaultRule): void {
      rules.push({ ...rule, remaining: rule.times ?? (rule.probability !== undefined ? Number.POSITIVE_INFINITY : 1) });
    },
    clear(): void {
      rules = [];
    },
    seed(n: number): void {
      rng = createRng(n);
    },
    list(): FaultRule[] {
      return rules.map(({ remaining, ...r }) => ({ ...r, times: Number.isFinite(remaining) ? remaining : undefined }));
    },
    /** The rule that fires for this request, if any (consuming one of its `times`). */
    pick(method: string, path: string): FaultRule | undefined {
      for (const rule of rules) {
        if (rule.remaining <= 0) continue;
        if (rule.method && rule.method.toUpperCase() !== method) continue;
        if (rule.path && !pathMatcher(rule.path).test(path)) continue;
        if (rule.probability !== undefined && rng() >= rule.probability) continue;
        rule.remaining--;
        return rule;
      }
      return undefined;
    },
    rng: () => rng(),
  };
}

export type Faults = ReturnType<typeof createFaults>;
