import { describe, expect, it } from "bun:test";
import { harness } from "./fakes.ts";
import { NO_NOTIFIER, type Notifier, type RoundNews } from "../../src/notify/types.ts";

/**
 * What the engine reports to the notifier: a round's start, the records it changed, a failure episode once (after
 * its first retry failed, not at every attempt), and the recovery of a reported episode.
 */
function recordingNotifier(): Notifier & { starts: number; rounds: RoundNews[] } {
  const n = { ...NO_NOTIFIER, starts: 0, rounds: [] as RoundNews[] };
  n.roundStarted = () => void n.starts++;
  n.roundEnded = (news) => void n.rounds.push(news);
  return n;
}
const transient = { ok: false as const, kind: "transient" as const, message: "HTTP 503 from the provider" };

describe("the engine reports each round to the notifier", () => {
  it("a round that creates records reports the changes; a quiet round reports none", async () => {
    const notifier = recordingNotifier();
    const h = harness({ records: ["a.example.com", "b.example.com"], notifier });
    await h.reconciler.init();
    await h.reconciler.runRound("startup", h.signal);
    h.advance(60_000);
    await h.reconciler.runRound("poll", h.signal);
    expect(notifier.starts).toBe(2);
    expect(notifier.rounds).toEqual([
      {
        changes: [
          { subject: "A record a.example.com", name: "a.example.com", content: "203.0.113.1" },
          { subject: "A record b.example.com", name: "b.example.com", content: "203.0.113.1" },
        ],
        failing: [],
        recovered: [],
        confirmed: true,
      },
      { changes: [], failing: [], recovered: [], confirmed: true },
    ]);
  });

  it("a failure is news after the first retry fails too, once per episode, and its recovery once", async () => {
    const notifier = recordingNotifier();
    const h = harness({ notifier });
    await h.reconciler.init();
    h.prov.failNext.push(transient, transient, transient);
    const failing: string[][] = [];
    for (let i = 0; i < 4; i++) {
      await h.reconciler.runRound(i === 0 ? "startup" : "retry", h.signal);
      h.advance(10 * 60_000);
    }
    for (const r of notifier.rounds) failing.push(r.failing.map((f) => `${f.subject}: ${f.message}`));
    expect(failing).toEqual([[], ["A record home.example.com: HTTP 503 from the provider"], [], []]);
    expect(notifier.rounds.map((r) => r.recovered.map((c) => c.content))).toEqual([[], [], [], ["203.0.113.1"]]);
    expect(notifier.rounds.map((r) => r.confirmed)).toEqual([false, false, false, true]);
    expect(notifier.rounds[0]!.problem).toBe("1 record(s) failing: HTTP 503 from the provider");
  });

  it("a blip fixed by the first retry is neither a failure nor a recovery message", async () => {
    const notifier = recordingNotifier();
    const h = harness({ notifier });
    await h.reconciler.init();
    h.prov.failNext.push(transient);
    await h.reconciler.runRound("startup", h.signal);
    h.advance(60_000);
    await h.reconciler.runRound("retry", h.signal);
    expect(notifier.rounds.map((r) => [r.failing.length, r.recovered.length, r.changes.length])).toEqual([[0, 0, 0], [0, 0, 1]]);
  });

  it("with no retry to follow (once, the Worker) the first failure is news", async () => {
    const notifier = recordingNotifier();
    const h = harness({ notifier });
    await h.reconciler.init();
    h.prov.failNext.push(transient);
    await h.reconciler.runRound("once", h.signal, { final: true });
    expect(notifier.rounds[0]!.failing).toEqual([{ subject: "A record home.example.com", message: transient.message }]);
  });
});
