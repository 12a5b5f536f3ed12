import { describe, expect, it } from "bun:test";
import type { Family } from "../../src/core/family.ts";
import type { IpSource } from "../../src/ip/types.ts";
import { createPerFamilySource } from "../../src/ip/per-family-source.ts";
import { createStaticSource } from "../../src/ip/static/static-source.ts";

/** A source that answers one fixed address per family, counts its calls, and may have a watcher. */
function fakeSource(type: string, address: Record<Family, string>, watcher?: (onChange: (reason: string) => void) => Promise<void>) {
  const asked: Family[] = [];
  let closed = 0;
  const source: IpSource = {
    type,
    detect: async (family) => {
      asked.push(family);
      return { ok: true, family, address: address[family], source: type };
    },
    ...(watcher ? { watch: watcher } : {}),
    close: async () => void closed++,
  };
  return { source, asked, closed: () => closed };
}

const signal = new AbortController().signal;

describe("one source per family", () => {
  it("asks each family's own source only, and names both in its type", async () => {
    const http = fakeSource("http", { 4: "198.51.100.7", 6: "2001:db8:ffff::99" });
    const split = createPerFamilySource({ 4: http.source, 6: createStaticSource({ addresses: { 6: "2001:db8::10" } }) });
    expect(split.type).toBe("http (IPv4), static (IPv6)");
    expect([await split.detect(4, signal), await split.detect(6, signal)]).toEqual([
      { ok: true, family: 4, address: "198.51.100.7", source: "http" },
      { ok: true, family: 6, address: "2001:db8::10", source: "static" },
    ]);
    expect(http.asked).toEqual([4]);
  });

  it("fails a family that has no source, and closes each source once", async () => {
    const only = fakeSource("http", { 4: "198.51.100.7", 6: "2001:db8::1" });
    const split = createPerFamilySource({ 4: only.source });
    expect(await split.detect(6, signal)).toEqual({ ok: false, family: 6, error: "no IP source is configured for IPv6" });
    await split.close?.();
    expect(only.closed()).toBe(1);
  });

  it("passes every watcher's changes on, and reports the first watcher that stops", async () => {
    const changes: string[] = [];
    const quiet = fakeSource("http", { 4: "198.51.100.7", 6: "2001:db8::1" });
    const events = fakeSource("netlink", { 4: "198.51.100.7", 6: "2001:db8::1" }, async (onChange) => {
      onChange("netlink: address added");
      throw new Error("socket closed");
    });
    const split = createPerFamilySource({ 4: quiet.source, 6: events.source });
    expect(quiet.source.watch).toBeUndefined();
    await expect(split.watch!((reason) => changes.push(reason))).rejects.toThrow("socket closed");
    expect(changes).toEqual(["netlink: address added"]);
  });

  it("has no watcher when none of its sources has one", () => {
    const split = createPerFamilySource({ 4: fakeSource("http", { 4: "198.51.100.7", 6: "2001:db8::1" }).source, 6: createStaticSource({ addresses: {} }) });
    expect(split.watch).toBeUndefined();
  });
});
