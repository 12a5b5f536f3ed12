import { describe, expect, it } from "bun:test";
import { createMemoryLogger } from "../../src/log/logger.ts";
import type { Problem } from "../../src/providers/kit/answer.ts";
import type { RecordRequest } from "../../src/providers/kit/types.ts";
import type { UpdateCall } from "../../src/providers/kit/update-calls.ts";
import { createUpdateUrlProvider, type UnitVerdict } from "../../src/providers/kit/update-url-provider.ts";

/**
 * The write-only template over a scripted service: each call's verdicts come from `answers` (one function per
 * call, or the default: every unit updated), so the template's rules are tested without HTTP.
 */
type Script = (call: UpdateCall) => { ok: true; verdicts: UnitVerdict[] } | { ok: false; problem: Problem };
const updated: Script = (call) => ({ ok: true, verdicts: call.units.map(() => ({ ok: true, outcome: "updated" })) });

function service(options: { together?: boolean; maxPerCall?: number } = {}) {
  const clock = { now: Date.UTC(2025, 0, 1) };
  const log = createMemoryLogger("trace");
  const calls: UpdateCall[] = [];
  const answers: Script[] = [];
  const provider = createUpdateUrlProvider(
    {
      service: "Testing",
      shape: { together: options.together ?? true, maxPerCall: options.maxPerCall ?? 20 },
      check: (r) => (r.name.startsWith("*.") ? "no wildcards here" : undefined),
      async send(call) {
        calls.push(call);
        return (answers.shift() ?? updated)(call);
      },
    },
    { id: "testing", now: () => clock.now, log },
  );
  return { provider, calls, answers, clock, log };
}

const live = () => ({ signal: AbortSignal.timeout(5000), dryRun: false });
const a = (name: string, content = "203.0.113.1"): RecordRequest => ({ name, type: "A", content });
const aaaa = (name: string, content = "2001:db8::1"): RecordRequest => ({ name, type: "AAAA", content });
const every = (verdict: UnitVerdict): Script => (call) => ({ ok: true, verdicts: call.units.map(() => verdict) });
const refused: Problem = { kind: "config", reason: "Testing answered \"nohost\": the name is not in the account. Create it there" };

describe("the update-URL template", () => {
  it("sends A and AAAA of a name together and names with the same addresses in one call", async () => {
    const { provider, calls } = service();
    const results = await provider.setRecords([a("x.example"), aaaa("x.example"), a("y.example"), aaaa("y.example")], live());
    expect(results.map((r) => r.ok && r.outcome)).toEqual(["updated", "updated", "updated", "updated"]);
    expect(calls.map((c) => ({ names: c.units.map((u) => u.name), v4: c.v4, v6: c.v6 }))).toEqual([{ names: ["x.example", "y.example"], v4: "203.0.113.1", v6: "2001:db8::1" }]);
  });

  it("does not send a confirmed address again in the same process", async () => {
    const { provider, calls } = service();
    await provider.setRecords([a("x.example")], live());
    expect(await provider.setRecords([a("x.example")], live())).toEqual([{ ok: true, request: a("x.example"), outcome: "unchanged", previous: ["203.0.113.1"] }]);
    expect(calls.length).toBe(1);
  });

  it.each([
    { name: "the provider's own check", request: a("*.example"), message: "no wildcards here" },
    { name: "an address of the wrong family", request: aaaa("x.example", "203.0.113.1"), message: '"203.0.113.1" is not an IPv6 address' },
  ])("$name: a config failure, nothing sent", async ({ request, message }) => {
    const { provider, calls } = service();
    expect(await provider.setRecords([request], live())).toEqual([{ ok: false, request, kind: "config", message }]);
    expect(calls).toEqual([]);
  });

  it.each([
    { name: "a record stop", stop: "record" as const, then: a("y.example"), thenSent: true, suffix: "ddnsd stops updating this record until it restarts with a corrected configuration." },
    { name: "an account stop", stop: "account" as const, then: a("y.example"), thenSent: false, suffix: "ddnsd stops all updates until it restarts with a corrected configuration." },
  ])("$name is final, says so once, and holds the record back until restart", async ({ stop, then, thenSent, suffix }) => {
    const { provider, calls, answers } = service();
    answers.push(every({ ok: false, problem: refused, stop }));
    const message = `${refused.reason}. ${suffix}`;
    expect(await provider.setRecords([a("x.example")], live())).toEqual([{ ok: false, request: a("x.example"), kind: "config", message, final: true }]);
    expect(await provider.setRecords([a("x.example", "203.0.113.2")], live())).toEqual([{ ok: false, request: a("x.example", "203.0.113.2"), kind: "config", message: `not sent: ${message}`, final: true }]);
    const other = await provider.setRecords([then], live());
    expect(other[0]?.ok).toBe(thenSent);
    expect(calls.length).toBe(thenSent ? 2 : 1);
  });

  it("an account stop holds back the later calls of the same round", async () => {
    const { provider, calls, answers } = service({ maxPerCall: 1 });
    answers.push(every({ ok: false, problem: { kind: "auth", reason: "refused." }, stop: "account" }));
    const results = await provider.setRecords([a("x.example"), a("y.example")], live());
    expect(results.map((r) => !r.ok && [r.kind, r.message, r.final])).toEqual([
      ["auth", "refused. ddnsd stops all updates until it restarts with a corrected configuration.", true],
      ["auth", "not sent: refused. ddnsd stops all updates until it restarts with a corrected configuration.", true],
    ]);
    expect(calls.length).toBe(1);
  });

  it("a pause holds every record back for its time, with the pause's reason and the time left", async () => {
    const { provider, calls, answers, clock } = service();
    answers.push(every({ ok: false, problem: { kind: "transient", reason: "Testing is down", retryAfterMs: 600_000 }, pause: { ms: 600_000, reason: "Testing reported trouble, so updates are paused" } }));
    expect(await provider.setRecords([a("x.example")], live())).toEqual([{ ok: false, request: a("x.example"), kind: "transient", message: "Testing is down", retryAfterMs: 600_000 }]);
    clock.now += 400_000;
    expect(await provider.setRecords([a("y.example")], live())).toEqual([{ ok: false, request: a("y.example"), kind: "transient", message: "not sent: Testing reported trouble, so updates are paused", retryAfterMs: 200_000 }]);
    clock.now += 200_000;
    expect((await provider.setRecords([a("y.example")], live()))[0]?.ok).toBe(true);
    expect(calls.length).toBe(2);
  });

  it("an answer that may have arrived is could-not-confirm, and the address is sent again next time", async () => {
    const { provider, calls, answers } = service();
    answers.push(() => ({ ok: false, problem: { kind: "transient", reason: "no answer", mayHaveArrived: true } }));
    expect(await provider.setRecords([a("x.example")], live())).toEqual([{ ok: false, request: a("x.example"), kind: "transient", message: "no answer", unconfirmed: true }]);
    expect((await provider.setRecords([a("x.example")], live()))[0]).toMatchObject({ ok: true, outcome: "updated" });
    expect(calls.length).toBe(2);
  });

  it("a unit without a verdict is could-not-confirm, never success", async () => {
    const { provider, answers } = service();
    answers.push((call) => ({ ok: true, verdicts: call.units.slice(1).map(() => ({ ok: true, outcome: "updated" })) }));
    const results = await provider.setRecords([a("x.example"), a("y.example")], live());
    expect(results.map((r) => (r.ok ? r.outcome : [r.kind, r.message, r.unconfirmed]))).toEqual(["updated", ["transient", 'Testing sent no answer for "y.example"', true]]);
  });

  it("logs a verdict's warning once per unit", async () => {
    const { provider, answers, log } = service();
    answers.push(every({ ok: true, outcome: "unchanged", warn: "Testing said nochg" }));
    expect((await provider.setRecords([a("x.example"), aaaa("x.example")], live())).map((r) => r.ok && r.outcome)).toEqual(["unchanged", "unchanged"]);
    expect(log.lines.filter((l) => l.startsWith("WARN"))).toEqual(["WARN Testing said nochg"]);
  });

  it("dry run: plans without sending; a throw becomes each record's internal error", async () => {
    const { provider, calls, answers } = service();
    expect(await provider.setRecords([a("x.example")], { signal: AbortSignal.timeout(5000), dryRun: true })).toEqual([{ ok: true, request: a("x.example"), outcome: "planned", previous: [] }]);
    expect(calls).toEqual([]);
    answers.push(() => {
      throw new Error("boom");
    });
    expect(await provider.setRecords([a("x.example")], live())).toEqual([{ ok: false, request: a("x.example"), kind: "transient", message: 'internal error "boom"; please report this as a ddnsd bug' }]);
  });
});
