/**
 * Fault injection shared by every fake service: a rule matches requests by method and path pattern and fires for
 * the next `times` matches (or with a seeded `probability`), answering with one kind of bad input. `afterApply`
 * lets the request take effect first and then spoils its answer (a write whose answer is lost).
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
  /** The service's own error answer with this status (default 500). */
  | "status"
  /** 429 with `Retry-After`. */
  | "rate-limit"
  /** An HTML error page (default status 502), as a proxy or an outage gives. */
  | "html"
  /** HTTP 200 with a body that is not JSON. */
  | "invalid-json"
  /** HTTP 200 with JSON of the wrong shape. */
  | "wrong-json"
  /** The connection is closed without an answer. */
  | "reset"
  /** No answer until the fake stops, or the normal answer after `delayMs`. */
  | "hang"
  /** A 200 answer of `bytes` bytes (default 64 MiB). */
  | "huge"
  /** A gzip body that inflates to `bytes` (default 1 GiB). */
  | "gzip-bomb"
  /** A body that never ends. */
  | "endless"
  /** A redirect (`status`, default 307) to `location` (default another origin). */
  | "redirect";

export interface FaultRule {
  kind: FaultKind;
  method?: string;
  /** Path pattern, `*` one segment, `**` anything: `/v2/domains/* /records/*`. */
  path?: string;
  times?: number;
  probability?: number;
  status?: number;
  /** For `rate-limit`: the Retry-After seconds (default 1); `null` sends none (DigitalOcean's hourly limit). */
  retryAfter?: number | null;
  /** Headers the bad answer carries besides its own (e.g. `ratelimit-reset`). */
  headers?: Record<string, string>;
  /** For `status`: the error text the service's envelope carries. */
  message?: string;
  /**
   * For `status`: a careless service that quotes the request in its error text — its Authorization header (a
   * sign-in's Bearer token), its body, or what a function picks from it (a session id in a JSON body): the client
   * must redact it.
   */
  echo?: "authorization" | "body" | ((request: { headers: Headers; text: string }) => string);
  delayMs?: number;
  bytes?: number;
  location?: string;
  afterApply?: boolean;
}

interface ActiveRule extends FaultRule {
  remaining: number;
  matcher: RegExp;
}

export function pathMatcher(pattern: string): RegExp {
  const escaped = pattern
    .split("/")
    .map((seg) => (seg === "**" ? ".*" : seg.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*")))
    .join("/");
  return new RegExp(`^${escaped}/?$`);
}

export interface Faults {
  add(rule: FaultRule): void;
  clear(): void;
  /** The rule that fires for this request, if any (consumes one firing). */
  take(method: string, path: string): FaultRule | undefined;
}

export function createFaults(seed = 1): Faults {
  const rng = createRng(seed);
  let rules: ActiveRule[] = [];
  return {
    add(rule) {
      const remaining = rule.times ?? (rule.probability !== undefined ? Number.POSITIVE_INFINITY : 1);
      rules.push({ ...rule, remaining, matcher: pathMatcher(rule.path ?? "/**") });
    },
    clear: () => void (rules = []),
    take(method, path) {
      for (const rule of rules) {
        if (rule.remaining <= 0) continue;
        if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
        if (!rule.matcher.test(path)) continue;
        if (rule.probability !== undefined && rng() >= rule.probability) continue;
        rule.remaining -= 1;
        return rule;
      }
      return undefined;
    },
  };
}
