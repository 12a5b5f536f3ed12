import fc from "fast-check";

/**
 * The fuzz tests' kit. Budgets: how many cases each fuzz test tries. Mutation: start from something valid (so the
 * fuzz gets past the first length check) and break it the ways networks and hostile peers do — truncation, flipped
 * bytes, inserted or repeated runs, length fields set to extremes. Guards: every case must end quickly, and every
 * message must be one bounded line without the secret.
 */

export function budget(scale: number) {
  return {
    scale,
    malformedConfigs: 400 * scale,
    validConfigs: 150 * scale,
    /** Environments run against dist/ddnsd (each malformed one through two commands). */
    binaryMalformed: 20,
    binaryValid: 8,
    parserRuns: 2000 * scale,
    dnsRuns: 1500 * scale,
    providerRuns: 300 * scale,
  };
}

/** Cases one run of each fuzz test file tries, and how many of them are malformed on purpose (for the bench). */
export function fuzzCases(scale: number) {
  const b = budget(scale);
  return {
    config: { cases: b.malformedConfigs + b.validConfigs + b.binaryMalformed + b.binaryValid, malformed: b.malformedConfigs + b.binaryMalformed },
    parsers: { cases: 4 * b.parserRuns, malformed: 4 * b.parserRuns },
    dns: { cases: 2 * b.dnsRuns + b.providerRuns, malformed: 2 * b.dnsRuns + b.providerRuns },
  };
}

/** The suite runs the base budget; bench/reliability.ts sets DDNSD_FUZZ_SCALE (and DDNSD_FUZZ_SEED) for more. */
const envScale = Math.max(1, Math.floor(Number(process.env.DDNSD_FUZZ_SCALE ?? 1)) || 1);
const seedShift = Math.floor(Number(process.env.DDNSD_FUZZ_SEED ?? 0)) || 0;

export const FUZZ = { ...budget(envScale), seed: (base: number) => base + seedShift };

export type Mutation =
  | { op: "truncate"; at: number }
  | { op: "flip"; at: number; xor: number }
  | { op: "insert"; at: number; bytes: Uint8Array }
  | { op: "repeat"; at: number; length: number; times: number }
  | { op: "set16"; at: number; value: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("flip" as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 24 }) }),
  fc.record({ op: fc.constant("repeat" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 32 }), times: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ op: fc.constant("set16" as const), at: fc.nat(), value: fc.constantFrom(0, 1, 3, 4, 0x7fff, 0xc000, 0xc00c, 0xffff) }),
);

export function applyMutation(input: Uint8Array, m: Mutation, littleEndian = false): Uint8Array {
  const n = input.length;
  const at = n === 0 ? 0 : m.at % (n + 1);
  switch (m.op) {
    case "truncate":
      return input.slice(0, at);
    case "flip": {
      const out = input.slice();
      if (n > 0) out[at % n] = (out[at % n] ?? 0) ^ m.xor;
      return out;
    }
    case "insert":
      return Uint8Array.from([...input.subarray(0, at), ...m.bytes, ...input.subarray(at)]);
    case "repeat": {
      const run = input.subarray(at, at + m.length);
      return Uint8Array.from([...input.subarray(0, at), ...Array.from({ length: m.times }, () => [...run]).flat(), ...input.subarray(at)]);
    }
    case "set16": {
      const out = input.slice();
      if (n >= 2) new DataView(out.buffer).setUint16(at % (n - 1), m.value, littleEndian);
      return out;
    }
  }
}

/** A valid input from `seeds`, broken by up to `max` mutations. */
export const mutated = (seeds: fc.Arbitrary<Uint8Array>, littleEndian = false, max = 4) =>
  fc.tuple(seeds, fc.array(mutation, { minLength: 1, maxLength: max })).map(([seed, ms]) => ms.reduce((b, m) => applyMutation(b, m, littleEndian), seed));

/** Runs `fn`, failing when it takes longer than `limitMs` (an endless loop fails the test by its timeout instead). */
export function timed<T>(limitMs: number, label: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  const ms = performance.now() - t0;
  if (ms > limitMs) throw new Error(`${label} took ${ms.toFixed(1)} ms (limit ${limitMs} ms)`);
  return out;
}

/** The async form: rejects when `promise` has not settled within `limitMs`. */
export async function within<T>(limitMs: number, label: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${label} did not settle within ${limitMs} ms`)), limitMs)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One operator-facing line: no line break, bounded, and never the secret. */
export function messageProblems(message: string, secrets: string[], max = 600): string[] {
  const problems: string[] = [];
  if (/[\r\n]/.test(message)) problems.push(`spans lines: ${JSON.stringify(message.slice(0, 120))}`);
  if (message.length > max) problems.push(`is ${message.length} characters long`);
  for (const s of secrets) if (s.length >= 4 && message.includes(s)) problems.push("contains the secret");
  return problems;
}
