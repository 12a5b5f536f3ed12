import { describe, expect, it } from "bun:test";
import { reportFailures, reportStopped, type FailedRecord, type ReportMode } from "../../src/engine/failure-report.ts";
import type { RecordType } from "../../src/core/family.ts";
import { recordNaming } from "../../src/engine/record-naming.ts";

const TOKEN = 'Cloudflare refused the API token (HTTP 403, code 9109 "Invalid access token"); check DDNS_PROVIDER_API_TOKEN';

function failure(name: string, type: RecordType, extra: Partial<FailedRecord> = {}): FailedRecord {
  const content = type === "A" ? "203.0.113.7" : "2001:db8::7";
  return { target: "cloudflare", request: { name, type, content }, kind: "auth", message: TOKEN, unconfirmed: false, final: false, attempt: 1, delayMs: 30_000, ...extra };
}

const RUN: ReportMode = { dryRun: false, promiseRetry: true };
const texts = (failed: readonly FailedRecord[], mode = RUN) => reportFailures(failed, mode).map((l) => `${l.level} ${l.text}`);

describe("failure lines", () => {
  it.each([
    {
      name: "one record: the record, the address, the reason, the scheduled delay",
      failed: [failure("home.example.com", "A")],
      mode: RUN,
      lines: [`error Could not update A record home.example.com to 203.0.113.7: ${TOKEN}; next attempt in 30s`],
    },
    {
      name: "records failing for the same reason share one line",
      failed: [failure("a.example.com", "A"), failure("b.example.com", "A"), failure("a.example.com", "AAAA"), failure("b.example.com", "AAAA")],
      mode: RUN,
      lines: [`error Could not update 4 records (a.example.com A, b.example.com A, a.example.com AAAA, b.example.com AAAA): ${TOKEN}; next attempt in 30s`],
    },
    {
      name: "distinct reasons get a line each, in the order first seen",
      failed: [
        failure("a.example.com", "A", { kind: "transient", message: "Cloudflare failed (HTTP 503).", delayMs: 1_000 }),
        failure("b.example.com", "A"),
        failure("c.example.com", "A", { kind: "transient", message: "Cloudflare failed (HTTP 503).", delayMs: 1_000 }),
      ],
      mode: RUN,
      lines: [
        "warn Could not update 2 records (a.example.com A, c.example.com A): Cloudflare failed (HTTP 503); next attempt in 1s",
        `error Could not update A record b.example.com to 203.0.113.7: ${TOKEN}; next attempt in 30s`,
      ],
    },
    {
      name: "a write whose answer was lost says it could not confirm",
      failed: [failure("home.example.com", "AAAA", { kind: "transient", message: "Cloudflare did not answer (no answer within 30 s)", unconfirmed: true, delayMs: 2_000, attempt: 2 })],
      mode: RUN,
      lines: ["warn Could not confirm the update of AAAA record home.example.com to 2001:db8::7: Cloudflare did not answer (no answer within 30 s); next attempt in 2s"],
    },
    {
      name: "a record the provider stopped (final) is promised no next attempt",
      failed: [failure("home.example.net", "A", { message: 'No-IP answered "nohost": the hostname does not exist in this account. ddnsd stops updating this record until it restarts.', kind: "config", final: true })],
      mode: RUN,
      lines: ['error Could not update A record home.example.net to 203.0.113.7: No-IP answered "nohost": the hostname does not exist in this account. ddnsd stops updating this record until it restarts'],
    },
    {
      name: "once promises no next attempt",
      failed: [failure("home.example.com", "A")],
      mode: { dryRun: false, promiseRetry: false },
      lines: [`error Could not update A record home.example.com to 203.0.113.7: ${TOKEN}`],
    },
    {
      name: "a dry run says what it would have done, not that an update failed",
      failed: [failure("home.example.com", "A")],
      mode: { dryRun: true, promiseRetry: false },
      lines: [`error Dry run: could not check whether A record home.example.com needs to be set to 203.0.113.7: ${TOKEN}`],
    },
    {
      name: "a dry run of several records",
      failed: [failure("a.example.com", "A"), failure("b.example.com", "A")],
      mode: { dryRun: true, promiseRetry: true },
      lines: [`error Dry run: could not check whether 2 records (a.example.com A, b.example.com A) need to be set: ${TOKEN}; next attempt in 30s`],
    },
  ])("$name", ({ failed, mode, lines }) => {
    expect(texts(failed, mode)).toEqual([...lines]);
  });

  it("names at most ten records and counts the rest", () => {
    const failed = Array.from({ length: 12 }, (_, i) => failure(`r${i}.example.com`, "A"));
    const [line] = texts(failed);
    expect(line).toStartWith("error Could not update 12 records (r0.example.com A, r1.example.com A,");
    expect(line).toContain("r9.example.com A, and 2 more): ");
    expect(line).not.toContain("r10.example.com");
  });

  it("carries the kind and attempt for the structured fields", () => {
    expect(reportFailures([failure("a.example.com", "A", { attempt: 3 })], RUN)[0]!.fields).toEqual({ kind: "auth", attempt: 3 });
  });

  it.each([
    { name: "one record", stopped: [ref(failure("a.example.com", "A"))], line: "Stopped updating A record a.example.com because the daemon is shutting down" },
    { name: "several", stopped: [ref(failure("a.example.com", "A")), ref(failure("a.example.com", "AAAA"))], line: "Stopped updating 2 records (a.example.com A, a.example.com AAAA) because the daemon is shutting down" },
    { name: "none", stopped: [], line: undefined },
  ])("a shutdown that cuts updates short says so once: $name", ({ stopped, line }) => {
    expect(reportStopped(stopped)).toBe(line);
  });

  it.each([
    {
      name: "one record",
      failed: [failure("home.example.com", "A", { target: "home" })],
      lines: [`error Could not update A record home.example.com (target home) to 203.0.113.7: ${TOKEN}; next attempt in 30s`],
      stopped: "Stopped updating A record home.example.com (target home) because the daemon is shutting down",
    },
    {
      name: "a name held by two targets",
      failed: [failure("home.example.com", "A", { target: "home" }), failure("home.example.com", "A", { target: "lab" })],
      lines: [`error Could not update 2 records (home.example.com A (target home), home.example.com A (target lab)): ${TOKEN}; next attempt in 30s`],
      stopped: "Stopped updating 2 records (home.example.com A (target home), home.example.com A (target lab)) because the daemon is shutting down",
    },
  ])("with several targets, the lines name each record's target: $name", ({ failed, lines, stopped }) => {
    const naming = recordNaming(true);
    expect(reportFailures(failed, RUN, naming).map((l) => `${l.level} ${l.text}`)).toEqual([...lines]);
    expect(reportStopped(failed.map(ref), naming)).toBe(stopped);
  });
});

function ref(f: FailedRecord) {
  return { target: f.target, name: f.request.name, type: f.request.type };
}
