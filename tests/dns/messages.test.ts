import { describe, expect, it } from "bun:test";
import { buildConditionalUpdate, buildDeleteSetsUpdate, buildReplaceSetsUpdate, buildReplaceUpdate, opcodeOf } from "../../src/dns/messages.ts";
import { encodeName, layoutOf, matchesQuery, readName, readU16 } from "../../src/dns/wire.ts";

/** Reads the update section by hand (dns-packet cannot decode class-ANY records with empty RDATA). */
function updateSection(message: Uint8Array) {
  const layout = layoutOf(message);
  const records = [];
  let pos = layout.questionEnd;
  for (let i = 0; i < layout.counts.ns; i++) {
    const { name, next } = readName(message, pos);
    const rdlength = readU16(message, next + 8);
    records.push({
      name, type: readU16(message, next), class: readU16(message, next + 2),
      ttl: new DataView(message.buffer).getUint32(next + 4), rdata: [...message.subarray(next + 10, next + 10 + rdlength)],
    });
    pos = next + 10 + rdlength;
  }
  return { layout, records };
}

describe("DNS UPDATE that replaces an RRset", () => {
  it.each([
    { name: "A", type: "A" as const, content: "203.0.113.7", typeCode: 1, rdata: [203, 0, 113, 7] },
    { name: "AAAA", type: "AAAA" as const, content: "2001:db8::1", typeCode: 28, rdata: [0x20, 1, 0x0d, 0xb8, ...Array(11).fill(0), 1] },
  ])("deletes the $name RRset (class ANY) and adds the address (class IN) in one message", ({ type, content, typeCode, rdata }) => {
    const message = buildReplaceUpdate({ zone: "example.com", name: "home.example.com", type, ttl: 300, content }, 0x1234);
    const { layout, records } = updateSection(message);
    expect(opcodeOf(message)).toBe(5);
    expect(layout).toMatchObject({ id: 0x1234, counts: { qd: 1, an: 0, ns: 2, ar: 0 }, end: message.length });
    expect(readName(message, 12).name).toBe("example.com");
    expect(readU16(message, layout.questionEnd - 4)).toBe(6); // zone section: SOA
    expect(records).toEqual([
      { name: "home.example.com", type: typeCode, class: 255, ttl: 0, rdata: [] },
      { name: "home.example.com", type: typeCode, class: 1, ttl: 300, rdata: [...rdata] },
    ]);
  });
});

describe("DNS UPDATE that replaces several RRsets at once", () => {
  it("deletes every set first, then adds every value, all in one message", () => {
    const message = buildReplaceSetsUpdate("example.com", [
      { name: "a.example.com", type: "A", ttl: 300, values: ["203.0.113.7"] },
      { name: "a.example.com", type: "AAAA", ttl: 300, values: ["2001:db8::1"] },
      { name: "b.example.com", type: "A", ttl: 60, values: ["203.0.113.8", "203.0.113.9"] },
    ], 0x4321);
    const { layout, records } = updateSection(message);
    expect(layout).toMatchObject({ id: 0x4321, counts: { qd: 1, an: 0, ns: 7, ar: 0 }, end: message.length });
    expect(records.map((r) => `${r.name} ${r.type} ${r.class} ${r.ttl} ${r.rdata.join(".")}`)).toEqual([
      "a.example.com 1 255 0 ",
      "a.example.com 28 255 0 ",
      "b.example.com 1 255 0 ",
      "a.example.com 1 1 300 203.0.113.7",
      `a.example.com 28 1 300 ${[0x20, 1, 0x0d, 0xb8, ...Array(11).fill(0), 1].join(".")}`,
      "b.example.com 1 1 60 203.0.113.8",
      "b.example.com 1 1 60 203.0.113.9",
    ]);
  });
});

/** Every record after the question, each with its section (prerequisite, then update), read by hand. */
function sections(message: Uint8Array) {
  const layout = layoutOf(message);
  const out: string[] = [];
  let pos = layout.questionEnd;
  for (let i = 0; i < layout.counts.an + layout.counts.ns; i++) {
    const { name, next } = readName(message, pos);
    const rdlength = readU16(message, next + 8);
    const ttl = new DataView(message.buffer).getUint32(next + 4);
    out.push(`${i < layout.counts.an ? "pre" : "upd"} ${name} ${readU16(message, next)} ${readU16(message, next + 2)} ${ttl} ${rdlength}`);
    pos = next + 10 + rdlength;
  }
  return { layout, out };
}

describe("DNS UPDATE conditional on the sets as read (DDNS_DELETE_ON_STOP)", () => {
  it("deletes a set and rewrites its owner TXT set in one message, only if both still hold what was read", () => {
    const message = buildConditionalUpdate(
      "example.com",
      [{ name: "a.example.com", type: "A", ttl: 300, values: ["203.0.113.7"] }, { name: "_ddnsd-a.a.example.com", type: "TXT", ttl: 300, values: ["v=spf1 -all", "heritage=ddnsd,owner=site-a"] }],
      [{ name: "a.example.com", type: "A", ttl: 300, values: [] }, { name: "_ddnsd-a.a.example.com", type: "TXT", ttl: 300, values: ["v=spf1 -all"] }],
      0x5555,
    );
    const { layout, out } = sections(message);
    expect(layout).toMatchObject({ id: 0x5555, counts: { qd: 1, an: 3, ns: 3, ar: 0 }, end: message.length });
    expect(out).toEqual([
      "pre a.example.com 1 1 0 4",
      "pre _ddnsd-a.a.example.com 16 1 0 12",
      "pre _ddnsd-a.a.example.com 16 1 0 28",
      "upd a.example.com 1 255 0 0",
      "upd _ddnsd-a.a.example.com 16 255 0 0",
      "upd _ddnsd-a.a.example.com 16 1 300 12",
    ]);
  });

  it("a plain deletion is the same message with no values left", () => {
    const sets = [{ name: "a.example.com", type: "A" as const, ttl: 300, values: ["203.0.113.7", "203.0.113.8"] }];
    expect(sections(buildDeleteSetsUpdate("example.com", sets, 1)).out).toEqual(["pre a.example.com 1 1 0 4", "pre a.example.com 1 1 0 4", "upd a.example.com 1 255 0 0"]);
  });
});

describe("wire helpers", () => {
  it.each([
    { name: "a plain name", input: "WWW.Example.com.", bytes: [3, 119, 119, 119, 7, 101, 120, 97, 109, 112, 108, 101, 3, 99, 111, 109, 0] },
    { name: "the root", input: ".", bytes: [0] },
  ])("encodes $name canonically", ({ input, bytes }) => {
    expect([...encodeName(input)]).toEqual([...bytes]);
  });

  it("refuses a label longer than 63 octets", () => {
    expect(() => encodeName(`${"a".repeat(64)}.com`)).toThrow("invalid label");
  });

  it.each([
    { name: "same id and question, other case", patch: (r: Uint8Array) => (r[13] = 0x45), matches: true },
    { name: "another id", patch: (r: Uint8Array) => (r[1] = (r[1] ?? 0) ^ 1), matches: false },
    { name: "another question", patch: (r: Uint8Array) => (r[14] = 0x79), matches: false },
    { name: "not a response", patch: (r: Uint8Array) => (r[2] = 0), matches: false },
  ])("matches a response to its query: $name", ({ patch, matches }) => {
    const query = Uint8Array.from([0xab, 0xcd, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2, 0x65, 0x78, 0, 0, 1, 0, 1]);
    const response = query.slice();
    response[2] = 0x80;
    patch(response);
    expect(matchesQuery(query, response)).toBe(matches);
  });
});
