import { describe, expect, it } from "bun:test";
import type { Syscalls } from "../../src/ip/netlink/runtime-types.ts";
import { withoutBlockingPoll } from "../../src/runtime/netlink/runtime-bun.ts";

/** The dumps' poll on Bun's main thread: libc's poll only ever with timeout 0, the waiting done by sleeps. */

function fakePoll(answers: number[]) {
  const timeouts: number[] = [];
  const slept: number[] = [];
  const sys = {
    poll: (_fds: Uint8Array, _count: number, timeoutMs: number) => {
      timeouts.push(timeoutMs);
      return answers.shift() ?? 0;
    },
  } as unknown as Syscalls;
  const poll = withoutBlockingPoll(sys, async (ms) => void slept.push(ms)).poll;
  return { poll, timeouts, slept };
}

describe("the dumps' poll on Bun's main thread", () => {
  const cases = [
    { name: "ready at once: no sleep", answers: [1], timeout: 2000, result: 1, sleeps: 0 },
    { name: "ready on the third look: two short sleeps, growing", answers: [0, 0, 1], timeout: 2000, result: 1, sleeps: 2 },
    { name: "a failure is returned as it is", answers: [-4], timeout: 2000, result: -4, sleeps: 0 },
    { name: "timeout 0 looks once", answers: [0], timeout: 0, result: 0, sleeps: 0 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const t = fakePoll([...c.answers]);
      expect(await t.poll(new Uint8Array(8), 1, c.timeout)).toBe(c.result);
      expect(t.slept).toHaveLength(c.sleeps);
      expect(t.timeouts.every((ms) => ms === 0)).toBe(true);
      if (c.sleeps === 2) expect(t.slept[1]!).toBeGreaterThan(t.slept[0]!);
    });
  }

  it("gives up at its timeout with 0, as poll(2) does", async () => {
    const sys = { poll: () => 0 } as unknown as Syscalls;
    const poll = withoutBlockingPoll(sys, (ms) => new Promise((r) => setTimeout(r, ms))).poll;
    const started = performance.now();
    expect(await poll(new Uint8Array(8), 1, 30)).toBe(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
  });
});
