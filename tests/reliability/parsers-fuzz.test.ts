import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import { checkPublishable, parseAddress } from "../../src/core/address-rules.ts";
import { parseIpAnswer } from "../../src/ip/http/parse-answer.ts";
import { parseMessages } from "../../src/ip/netlink/parse.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { readDynDns2Answer } from "../../src/providers/dyndns2/read-answer.ts";
import { FAILURE_CODES, parseAnswerLines, SUCCESS_CODES } from "../../src/providers/dyndns2/return-codes.ts";
import { DYNDNS2_PRESET_NAMES, DYNDNS2_PRESETS } from "../../src/providers/dyndns2/services.ts";
import type { RecordRequest } from "../../src/providers/kit/types.ts";
import { planUpdateCalls } from "../../src/providers/kit/update-calls.ts";
import { providerOf } from "../fakes/dyndns2/provider-harness.ts";
import { addressMessage, concatBytes, doneMessage, errorMessage, linkMessage } from "../netns/messages.ts";
import { FUZZ, messageProblems, mutated, timed } from "./fuzz-kit.ts";

/**
 * Parsers under attack: the IP-answer parser, the rtnetlink parser and the DynDNS2 answer parser get random,
 * truncated, mutated and huge inputs. Each must return a value of its declared shape (errors as values, one-line
 * reasons), never throw, and finish every case quickly. The netlink parser exists (src/ip/netlink/parse.ts).
 */

const PARSER_RUNS = FUZZ.parserRuns;
const SEED = FUZZ.seed(4242);
// A guard against runaway parsing (catastrophic backtracking, endless loops), not a speed check: speed is
// measured in bench/, and a loaded CI machine must not fail this.
const LIMIT_MS = 2000;

const addressText = fc.oneof(
  fc.ipV4(), fc.ipV6(), fc.ipV4Extended(),
  fc.constantFrom("203.0.113.7", "2001:db8::7", "10.0.0.1", "::ffff:203.0.113.1", "fe80::1%eth0", "203.0.113.300", "1.2.3", "0x7f.1"),
);
const traceBody = fc
  .array(fc.oneof(fc.tuple(fc.stringMatching(/^[a-z_]{1,8}$/), fc.string()).map(([k, v]) => `${k}=${v}`), addressText.map((a) => `ip=${a}`)), { maxLength: 12 })
  .chain((lines) => fc.constantFrom("\n", "\r\n").map((nl) => lines.join(nl)));
const ipBody = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  traceBody,
  fc.tuple(fc.string({ maxLength: 3 }), addressText, fc.string({ maxLength: 3 })).map((p) => p.join("")),
  fc.tuple(addressText, fc.integer({ min: 1000, max: 20_000 })).map(([a, n]) => `ip=${a}\n`.repeat(n)),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => "9".repeat(n)),
);

describe("parseIpAnswer under attack", () => {
  it(`${PARSER_RUNS} random, trace-like and huge answers: a publishable address of the family or a one-line reason`, () => {
    fc.assert(
      fc.property(ipBody, fc.constantFrom(4 as const, 6 as const), fc.boolean(), (body, family, allowPrivate) => {
        const r = timed(LIMIT_MS, "parseIpAnswer", () => parseIpAnswer(body, family, { allowPrivate }));
        if (r.ok) {
          expect(checkPublishable(r.address, family, { allowPrivate }).ok).toBe(true);
          expect(parseAddress(r.address)?.address).toBe(r.address);
        } else {
          expect(messageProblems(r.reason, [], 200)).toEqual([]);
        }
      }),
      { seed: SEED, numRuns: PARSER_RUNS },
    );
  });
});

const netlinkSeed = fc
  .array(
    fc.oneof(
      fc.tuple(fc.nat(64), addressText.filter((a) => parseAddress(a) !== undefined), fc.option(fc.nat(), { nil: null })).map(([index, address, lft]) =>
        addressMessage({ index, address, preferredLft: lft, validLft: lft, flags: index * 17 }),
      ),
      fc.tuple(fc.nat(64), fc.string({ maxLength: 20 })).map(([index, name]) => linkMessage({ index, name })),
      fc.nat().map((seq) => doneMessage(seq)),
      fc.tuple(fc.nat(), fc.nat(200)).map(([seq, errno]) => errorMessage(seq, errno)),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((parts) => concatBytes(...parts));

describe("the rtnetlink parser under attack", () => {
  it(`${PARSER_RUNS} random, truncated and mutated buffers: events with valid addresses, errors as strings, never a throw`, () => {
    const input = fc.oneof(fc.uint8Array({ maxLength: 512 }), mutated(netlinkSeed, true, 6), netlinkSeed.map((b) => b.subarray(0, Math.max(0, b.length - 3))));
    fc.assert(
      fc.property(input, (bytes) => {
        const r = timed(LIMIT_MS, "parseMessages", () => parseMessages(bytes));
        for (const e of r.events) {
          if (e.kind === "address") expect(parseAddress(e.address)?.family).toBe(e.family);
          else expect(e.kind).toBe("link");
        }
        for (const error of r.errors) expect(typeof error).toBe("string");
        expect(r.events.length + r.errors.length + r.done.length + r.failures.length).toBeLessThanOrEqual(bytes.length / 4 + 1);
      }),
      { seed: SEED + 1, numRuns: PARSER_RUNS },
    );
  });
});

const CODES = [...SUCCESS_CODES, ...Object.keys(FAILURE_CODES)];
const answerLine = fc.oneof(
  fc.tuple(fc.constantFrom(...CODES), fc.array(addressText, { maxLength: 2 })).map(([c, a]) => `${c} ${a.join(",")}`.trim()),
  fc.string({ maxLength: 40 }),
  fc.constantFrom("<html><body>502 Bad Gateway</body></html>", "GOOD 203.0.113.7", "nochg", "", "\u0000"),
);
const body = fc.array(answerLine, { maxLength: 6 }).chain((lines) => fc.constantFrom("\n", "\r\n", " ").map((sep) => lines.join(sep)));
const reply = fc.record({ status: fc.constantFrom(200, 401, 404, 429, 500, 502), text: body });
const requests = fc.uniqueArray(
  fc.tuple(fc.constantFrom("home.example.net", "www.example.net", "a.example.org"), fc.constantFrom("A" as const, "AAAA" as const)),
  { minLength: 1, maxLength: 6, selector: ([n, t]) => `${n}/${t}` },
).map((xs): RecordRequest[] => xs.map(([name, type]) => ({ name, type, content: type === "A" ? "203.0.113.9" : "2001:db8::9" })));

describe("the DynDNS2 answer parser under attack", () => {
  it(`${PARSER_RUNS} bodies: parseAnswerLines returns known codes only, or undefined`, () => {
    fc.assert(
      fc.property(fc.oneof(body, fc.string({ unit: "binary", maxLength: 300 })), (text) => {
        const lines = timed(LIMIT_MS, "parseAnswerLines", () => parseAnswerLines(text));
        if (lines) for (const l of lines) expect(CODES).toContain(l.code);
      }),
      { seed: SEED + 2, numRuns: PARSER_RUNS },
    );
  });

  it(`${PARSER_RUNS} answers to random calls: no reading, or exactly one verdict per hostname with one-line reasons`, () => {
    fc.assert(
      fc.property(reply, requests, fc.constantFrom(...DYNDNS2_PRESET_NAMES), (r, reqs, presetName) => {
        const service = DYNDNS2_PRESETS[presetName];
        const calls = planUpdateCalls(reqs.map((request, index) => ({ index, request })), { together: service.ipv6Param === "myipv6", maxPerCall: service.maxHosts });
        for (const call of calls) {
          const verdicts = timed(LIMIT_MS, "readDynDns2Answer", () => readDynDns2Answer(r, call, { label: service.label, usernameVariable: "DDNS_DYNDNS2_USERNAME", serviceVariable: "DDNS_DYNDNS2_PRESET" }));
          if (verdicts === undefined) continue;
          expect(verdicts.length).toBe(call.units.length);
          for (const v of verdicts) expect(messageProblems(v.ok ? (v.warn ?? "") : v.problem.reason, [])).toEqual([]);
        }
      }),
      { seed: SEED + 3, numRuns: PARSER_RUNS },
    );
  });

  it(`${PARSER_RUNS / 4} answers through the provider: exactly one result per record, one-line messages, no secret`, async () => {
    const secret = "fuzz-dyndns2-s3cret";
    await fc.assert(
      fc.asyncProperty(reply, requests, fc.constantFrom(...DYNDNS2_PRESET_NAMES), async (r, reqs, preset) => {
        const answer = (async () => new Response(r.text, { status: r.status, headers: { "retry-after": "5" } })) as unknown as typeof fetch;
        const world = { fetch: answer, log: createMemoryLogger(), now: Date.now, random: Math.random, userAgent: "ddnsd-fuzz", onRequest: () => {} };
        const provider = providerOf("dyndns2", { DDNS_PROVIDER_API_TOKEN: secret, DDNS_DYNDNS2_USERNAME: "alice", DDNS_DYNDNS2_PRESET: preset, DDNS_PROVIDER_API_URL: "http://127.0.0.1:1" }, world);
        const results = await provider.setRecords(reqs, { signal: AbortSignal.timeout(LIMIT_MS), dryRun: false });
        expect(results.map((x) => x.request)).toEqual(reqs);
        for (const x of results) if (!x.ok) expect(messageProblems(x.message, [secret])).toEqual([]);
      }),
      { seed: SEED + 4, numRuns: PARSER_RUNS / 4 },
    );
  });
});
