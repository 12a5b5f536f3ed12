import { describe, expect, it } from "bun:test";
import { createStatusBoard } from "../../src/engine/status-board.ts";
import { createPushSource } from "../../src/ip/push/push-source.ts";
import { chooseStoredAddresses, restorePushSource, type StoredRecord } from "../../src/update-server/stored-addresses.ts";
import type { Family } from "../../src/core/family.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";

/** Which stored address the push source starts from after a restart: one per family, from the configured records. */
const RULES = { records: ["home.example.com", "www.example.com"], families: [4, 6] as Family[], allowPrivate: false };
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
    expect(chooseStoredAddresses((name, family) => table[`${name}/${family}`], RULES)).toEqual(want as never);
  });
});

describe("restoring the push source from the status board", () => {
  it("reads what the state store put on the board and says so once", async () => {
    const records = RULES.records.flatMap((name) => [{ name, type: "A" as const }, { name, type: "AAAA" as const }]);
    const status = createStatusBoard({ version: "t", runtime: "bun", now: () => 0, families: RULES.families, records, staleAfterMs: 1000 });
    status.setRecord("home.example.com", "A", { content: "203.0.113.7", lastChange: T1 });
    status.setRecord("www.example.com", "AAAA", { content: "2001:db8::7", lastChange: T1 });
    const source = createPushSource({ now: () => 0 });
    const log = createMemoryLogger("debug");
    restorePushSource(source, status, RULES, log);
    expect([source.current(4), source.current(6)]).toEqual(["203.0.113.7", "2001:db8::7"]);
    expect(log.lines).toEqual(["INFO Push source: starting from the stored addresses 203.0.113.7 and 2001:db8::7 (until the next push)"]);
  });
});
