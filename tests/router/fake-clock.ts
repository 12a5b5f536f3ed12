import type { RouterClock } from "../../src/ip/router/deadline.ts";

/**
 * A clock and timers the test moves by hand (the router source takes them as `clock`): `settle(promise)` lets the
 * code run until it waits on a timer, jumps to the earliest one, fires it, and repeats until the promise settles —
 * no wall-clock waiting, and `now()` tells how much time the code under test spent.
 */
export interface FakeClock extends RouterClock {
  settle<T>(promise: Promise<T>): Promise<T>;
}

/** A few macrotask turns: enough for the awaits between a socket's send and the next timer. */
const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

export function createFakeClock(): FakeClock {
  let now = 0;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++nextId;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout(timer) {
      timers.delete(timer as number);
    },
    async settle(promise) {
      let settled = false;
      void promise.finally(() => (settled = true)).catch(() => {});
      for (let steps = 0; steps < 10_000; steps++) {
        await turns();
        if (settled) return promise;
        const [id, next] = [...timers.entries()].sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0] ?? [];
        if (id === undefined || next === undefined) throw new Error(`the code waits on something other than the fake timers (at ${now} ms)`);
        timers.delete(id);
        now = next.at;
        next.fn();
      }
      throw new Error("more than 10000 timer steps");
    },
  };
}
