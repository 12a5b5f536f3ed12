import { describe, expect, it } from "bun:test";
import { createZoneFinder, zoneCandidates } from "../../src/providers/kit/zone-finder.ts";
import type { Answer } from "../../src/providers/kit/answer.ts";

type Z = { name: string; id: string };
const signal = () => AbortSignal.timeout(1000);

function world(zones: string[]) {
  const calls: string[] = [];
  let now = 0;
  const known = () => zones.map((name) => ({ name, id: `id-${name}` }));
  return {
    calls,
    advance: (ms: number) => (now += ms),
    now: () => now,
    zones,
    lookup: async (candidate: string): Promise<Answer<Z | undefined>> => {
      calls.push(`lookup ${candidate}`);
      return { ok: true, value: known().find((z) => z.name === candidate) };
    },
    list: async (): Promise<Answer<Z[]>> => {
      calls.push("list");
      return { ok: true, value: known() };
    },
  };
}

describe("zone discovery", () => {
  it.each([
    { name: "a.b.example.com", candidates: ["a.b.example.com", "b.example.com", "example.com"] },
    { name: "*.lab.example.com", candidates: ["lab.example.com", "example.com"] },
    { name: "Example.COM.", candidates: ["example.com"] },
    { name: "example.com", candidates: ["example.com"] },
    { name: "a.b.example.co.uk", candidates: ["a.b.example.co.uk", "b.example.co.uk", "example.co.uk", "co.uk"] },
    { name: "*.a.example.com", candidates: ["a.example.com", "example.com"] },
    { name: "WWW.Example.COM.", candidates: ["www.example.com", "example.com"] },
  ])("tries the suffixes of $name longest first", ({ name, candidates }) => {
    expect(zoneCandidates(name)).toEqual([...candidates]);
  });

  it("walks the suffixes, stops at the first zone and caches the answer", async () => {
    const w = world(["example.com"]);
    const finder = createZoneFinder<Z>({ lookup: w.lookup, now: w.now });
    expect(await finder.find("a.b.example.com", signal())).toEqual({ ok: true, zone: { name: "example.com", id: "id-example.com" } });
    expect(await finder.find("a.b.example.com", signal())).toMatchObject({ ok: true });
    expect(w.calls).toEqual(["lookup a.b.example.com", "lookup b.example.com", "lookup example.com"]);
  });

  it("asks once for a suffix that several names share at the same time", async () => {
    const w = world(["example.com"]);
    const finder = createZoneFinder<Z>({ lookup: w.lookup, now: w.now });
    await Promise.all([finder.find("a.example.com", signal()), finder.find("b.example.com", signal())]);
    expect(w.calls.filter((c) => c === "lookup example.com")).toHaveLength(1);
  });

  it("prefers the longest listed zone (a delegated subzone)", async () => {
    const w = world(["example.com", "lab.example.com"]);
    const finder = createZoneFinder<Z>({ list: w.list, now: w.now });
    expect(await finder.find("nas.lab.example.com", signal())).toMatchObject({ ok: true, zone: { name: "lab.example.com" } });
  });

  it("finds a zone added later once the negative answer has expired", async () => {
    const w = world([]);
    const finder = createZoneFinder<Z>({ list: w.list, now: w.now, missTtlMs: 60_000 });
    expect(await finder.find("home.example.net", signal())).toEqual({ ok: false, notFound: true, tried: ["home.example.net", "example.net"] });
    w.zones.push("example.net");
    expect(await finder.find("home.example.net", signal())).toMatchObject({ ok: false, notFound: true });
    w.advance(60_000);
    expect(await finder.find("home.example.net", signal())).toMatchObject({ ok: true, zone: { name: "example.net" } });
  });

  it("lists once instead of walking when many names are unknown", async () => {
    const w = world(["example.com"]);
    const finder = createZoneFinder<Z>({ lookup: w.lookup, list: w.list, now: w.now, listThreshold: 3 });
    const names = ["a.example.com", "b.example.com", "c.example.com"];
    await finder.prefetch(names, signal());
    for (const n of names) expect(await finder.find(n, signal())).toMatchObject({ ok: true });
    expect(w.calls).toEqual(["list"]);
  });

  it("passes a lookup problem through and does not cache it", async () => {
    let fail = true;
    const finder = createZoneFinder<Z>({
      lookup: async (c) => (fail ? { ok: false, problem: { kind: "transient", reason: "down" } } : { ok: true, value: c === "example.com" ? { name: c, id: "1" } : undefined }),
      now: () => 0,
    });
    expect(await finder.find("a.example.com", signal())).toEqual({ ok: false, notFound: false, problem: { kind: "transient", reason: "down" } });
    fail = false;
    expect(await finder.find("a.example.com", signal())).toMatchObject({ ok: true });
  });

  it("keeps names outside a fixed zone out", async () => {
    const finder = createZoneFinder<Z>({ fixed: { name: "example.com", id: "f" }, now: () => 0 });
    expect(await finder.find("a.example.com", signal())).toMatchObject({ ok: true, zone: { id: "f" } });
    expect(await finder.find("a.example.net", signal())).toEqual({ ok: false, notFound: true, tried: ["example.com"] });
  });

  it("asks a new name only for its own suffixes when its zone is known already", async () => {
    const w = world(["example.com"]);
    const finder = createZoneFinder<Z>({ lookup: w.lookup, now: w.now });
    await finder.find("www.example.com", signal());
    w.calls.length = 0;
    expect(await finder.find("api.example.com", signal())).toEqual({ ok: true, zone: { name: "example.com", id: "id-example.com" } });
    expect(w.calls).toEqual(["lookup api.example.com"]);
  });

  it("asks once for a shared suffix even when the names reach it one after another", async () => {
    const w = world(["example.com"]);
    const finder = createZoneFinder<Z>({ lookup: w.lookup, now: w.now });
    const names = ["a", "b", "c", "d", "e", "f"].map((n) => `${n}.example.com`);
    await Promise.all(names.map((n, i) => Bun.sleep(i).then(() => finder.find(n, signal()))));
    expect(w.calls.filter((c) => c === "lookup example.com")).toHaveLength(1);
  });

  it("forgetting a zone drops the listing too, so a parent zone in it is not taken for the forgotten one's names", async () => {
    const w = world(["example.com", "lab.example.com"]);
    const finder = createZoneFinder<Z>({ list: w.list, now: w.now });
    expect(await finder.find("nas.lab.example.com", signal())).toMatchObject({ ok: true, zone: { name: "lab.example.com" } });
    finder.forget("lab.example.com");
    expect(await finder.find("nas.lab.example.com", signal())).toMatchObject({ ok: true, zone: { name: "lab.example.com" } });
    expect(w.calls).toEqual(["list", "list"]);
  });

  it("forgets a zone whose id went stale", async () => {
    const w = world(["example.com"]);
    const finder = createZoneFinder<Z>({ lookup: w.lookup, now: w.now });
    await finder.find("a.example.com", signal());
    finder.forget("example.com");
    await finder.find("a.example.com", signal());
    expect(w.calls.filter((c) => c === "lookup example.com")).toHaveLength(2);
  });

  it("lists afresh after forgetting a listed zone, so its parent never stands in for it", async () => {
    const w = world(["example.com", "lab.example.com"]);
    const finder = createZoneFinder<Z>({ list: w.list, now: w.now });
    await finder.find("a.lab.example.com", signal());
    finder.forget("lab.example.com"); // its id went stale (the zone was re-created): it is still listed
    expect(await finder.find("b.lab.example.com", signal())).toMatchObject({ ok: true, zone: { name: "lab.example.com" } });
    expect(w.calls).toEqual(["list", "list"]);
  });
});
