import { describe, expect, it } from "bun:test";
import { createGcPacer } from "../../src/runtime/gc-pacer.ts";

const MiB = 1024 * 1024;

/** A pacer over a fake heap: `grow` allocates, a collection shrinks the heap to `live`; timers are recorded. */
function pacerWorld(start = 3 * MiB) {
  const w = { size: start, live: start, collections: 0, intervals: [] as number[], cleared: [] as unknown[] };
  const pacer = createGcPacer({
    heapSize: () => w.size,
    collect: () => void (w.collections++, (w.size = w.live)),
    setInterval: (_fn, ms) => (w.intervals.push(ms), "timer-1"),
    clearInterval: (t) => void w.cleared.push(t),
    everyMs: 500,
    budgetBytes: MiB,
  });
  return { w, pacer };
}

describe("the GC pacer", () => {
  it.each([
    { name: "a heap that did not grow", grownBy: 0, collects: false },
    { name: "growth within the budget", grownBy: MiB, collects: false },
    { name: "growth past the budget", grownBy: MiB + 1, collects: true },
    { name: "a round's worth of garbage", grownBy: 12 * MiB, collects: true },
  ])("$name: collects $collects", ({ grownBy, collects }) => {
    const { w, pacer } = pacerWorld();
    w.size += grownBy;
    expect(pacer.check()).toBe(collects);
    expect(w.collections).toBe(collects ? 1 : 0);
  });

  it("measures growth from the size after its last collection", () => {
    const { w, pacer } = pacerWorld();
    w.live = 4 * MiB;
    w.size = 9 * MiB;
    expect(pacer.check()).toBe(true); // heap now 4 MiB
    w.size = 4 * MiB + MiB / 2;
    expect(pacer.check()).toBe(false);
    w.size = 5 * MiB + 1;
    expect(pacer.check()).toBe(true);
  });

  it("counts the collector's own collections: growth is measured from the smallest size seen", () => {
    const { w, pacer } = pacerWorld(8 * MiB);
    w.size = 3 * MiB; // JavaScriptCore collected by itself
    expect(pacer.check()).toBe(false);
    w.size = 4 * MiB + 1;
    expect(pacer.check()).toBe(true);
  });

  it("checks on its interval and stops its timer", () => {
    const { w, pacer } = pacerWorld();
    expect(w.intervals).toEqual([500]);
    pacer.stop();
    expect(w.cleared).toEqual(["timer-1"]);
  });
});
