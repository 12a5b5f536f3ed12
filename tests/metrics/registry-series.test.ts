import { describe, expect, it } from "bun:test";
import { Registry, type Labels } from "../../src/metrics/registry.ts";

describe("metrics registry: one series per label set, whatever order the labels come in", () => {
  it.each<{ name: string; first: Labels; second: Labels }>([
    { name: "names in order", first: { record: "a.example", type: "A" }, second: { record: "a.example", type: "A" } },
    { name: "names out of order", first: { type: "A", record: "a.example" }, second: { record: "a.example", type: "A" } },
    { name: "three names, the first call unordered", first: { target: "t1", record: "a.example", type: "A" }, second: { record: "a.example", target: "t1", type: "A" } },
  ])("counts into the same series with $name", ({ first, second }) => {
    const registry = new Registry();
    const counter = registry.counter("ddns_test_total", "Test.");
    counter.inc(first);
    counter.inc(second, 2);
    expect(counter.get(first)).toBe(3);
    expect(registry.render().split("\n").filter((l) => l.startsWith("ddns_test_total"))).toHaveLength(1);
  });

  it("keeps label sets that differ in one value apart, and removes only the one named", () => {
    const registry = new Registry();
    const gauge = registry.gauge("ddns_test", "Test.");
    gauge.set(1, { record: "a.example", type: "A" });
    gauge.set(2, { type: "AAAA", record: "a.example" });
    gauge.remove({ record: "a.example", type: "A" });
    expect(registry.render()).toBe('# HELP ddns_test Test.\n# TYPE ddns_test gauge\nddns_test{type="AAAA",record="a.example"} 2\n');
  });
});
