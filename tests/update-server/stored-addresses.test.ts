import { describe, expect, it } from "bun:test";
import { createStatusBoard } from "../../src/engine/status-board.ts";
import { createPushSource } from "../../src/ip/push/push-source.ts";
import { chooseStoredAddresses, restorePushSource, type StoredRecord } from "../../src/update-server/stored-addresses.ts";
import type { Family } from "../../src/core/family.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { expandRecords } from "../../src/engine/desired.ts";

/** Which stored address the push source starts from after a restart: one per family, from the configured records. */
const OPTIONS = { ipVersions: [4, 6] as Family[], ttl: "auto" as const };
const RECORDS = expandRecords([{ id: "cloudflare", records: ["home.example.com", "www.example.com"].map((name) => ({ name, options: OPTIONS })) }], [4, 6]);
const RULES = { records: RECORDS, families: [4, 6] as Family[], allowPrivate: false };
const T1 = "2026-01-01T00:00:00.000Z";
const T2 = "2026-01-02T00:00:00.000Z";

describe("choosing the stored addresses", () => {
  it.each([
    { name: "nothing stored", stored: {}, want: [] },
    {
      name: "one address per family",
      stored: { "home.example.com/4": { content: "203.0.113.7", lastChange: T1 }, "www.example.com/4": { content: "203.0.113.7", lastChange: T1 }, "home.example.com/6": { content: "2001:db8::7", lastChange: T1 } },
      want: [{ family: 4, address: "203.0.113.7", at: Date.parse(T1) }, { family: 6, address: "2001:db8::7", at: Date.parse(T1) }],
    },
    {
      name: "records disagree: the most recently changed wins",
      stored: { "home.example.com/4": { content: "203.0.113.7", lastChange: T1 }, "www.example.com/4": { content: "203.0.113.8", lastChange: T2 } },
      want: [{ family: 4, address: "203.0.113.8", at: Date.parse(T2) }],
    },
    {
      name: "a record without content is skipped",
      stored: { "home.example.com/4": { content: null, lastChange: null }, "www.example.com/4": { content: "203.0.113.8", lastChange: null } },
      want: [{ family: 4, address: "203.0.113.8", at: 0 }],
    },
    {
      name: "an address the rules refuse now is not used",
      stored: { "home.example.com/4": { content: "192.168.1.20", lastChange: T1 } },
      want: [{ family: 4, refused: '"192.168.1.20" is a private (RFC 1918) address, which cannot be published' }],
    },
  ])("$name", ({ stored, want }) => {
    const table = stored as Record<string, StoredRecord>;
    expect(chooseStoredAddresses((r) => table[`${r.name}/${r.family}`], RULES)).toEqual(want as never);
  });
});

describe("restoring the push source from the status board", () => {
  it("reads what the state store put on the board and says so once", async () => {
    const status = createStatusBoard({ version: "t", runtime: "bun", now: () => 0, families: RULES.families, records: RECORDS, staleAfterMs: 1000 });
    status.setRecord({ target: "cloudflare", name: "home.example.com", type: "A" }, { content: "203.0.113.7", lastChange: T1 });
    status.setRecord({ target: "cloudflare", name: "www.example.com", type: "AAAA" }, { content: "2001:db8::7", lastChange: T1 });
    const source = createPushSource({ now: () => 0 });
    const log = createMemoryLogger("debug");
    restorePushSource(source, status, RULES, log);
    expect([source.current(4), source.current(6)]).toEqual(["203.0.113.7", "2001:db8::7"]);
    expect(log.lines).toEqual(["INFO Push source: starting from the stored addresses 203.0.113.7 and 2001:db8::7 (until the next push)"]);
  });
});

describe("choosing the stored addresses across targets", () => {
  it("every target's records count: the most recently changed wins, whichever target holds it", () => {
    const records = expandRecords(
      [
        { id: "home", records: [{ name: "home.example.com", options: OPTIONS }] },
        { id: "lab", records: [{ name: "lab.example.net", options: { ...OPTIONS, ipVersions: [4] as Family[] } }] },
      ],
      [4, 6],
    );
    const stored: Record<string, StoredRecord> = {
      "home/home.example.com/A": { content: "203.0.113.7", lastChange: T1 },
      "lab/lab.example.net/A": { content: "203.0.113.8", lastChange: T2 },
      "home/home.example.com/AAAA": { content: "2001:db8::7", lastChange: T1 },
    };
    expect(chooseStoredAddresses((r) => stored[r.key], { records, families: [4, 6], allowPrivate: false })).toEqual([
      { family: 4, address: "203.0.113.8", at: Date.parse(T2) },
      { family: 6, address: "2001:db8::7", at: Date.parse(T1) },
    ]);
  });
});

describe("choosing the stored IPv6 address with ipv6_suffix records", () => {
  // nas.example.com holds the pushed prefix + its own suffix, not the pushed address.
  const suffix = { text: "::11", identifier: "::11", prefixLength: 64 };
  const records = expandRecords(
    [{ id: "cloudflare", records: [{ name: "home.example.com", options: { ipVersions: [6] as Family[], ttl: "auto" as const } }, { name: "nas.example.com", options: { ipVersions: [6] as Family[], ttl: "auto" as const, ipv6Suffix: suffix } }] }],
    [6],
  );
  const rules = { records, families: [6] as Family[], allowPrivate: false };
  it.each([
    {
      name: "a record without a suffix wins over a more recently changed derived one",
      stored: { "home.example.com": { content: "2001:db8:1:2::7", lastChange: T1 }, "nas.example.com": { content: "2001:db8:1:2::11", lastChange: T2 } },
      want: [{ family: 6, address: "2001:db8:1:2::7", at: Date.parse(T1) }],
    },
    {
      name: "only derived records stored: one of them gives the prefix",
      stored: { "nas.example.com": { content: "2001:db8:1:2::11", lastChange: T2 } },
      want: [{ family: 6, address: "2001:db8:1:2::11", at: Date.parse(T2) }],
    },
  ])("$name", ({ stored, want }) => {
    const table = stored as Record<string, StoredRecord>;
    expect(chooseStoredAddresses((r) => table[r.name], rules)).toEqual(want as never);
  });
});
