import { describe, expect, it } from "bun:test";
import { createRecordDeleter, type DeleteApi } from "../../src/providers/kit/record-delete.ts";
import type { HeldRecord } from "../../src/providers/kit/record-plan.ts";
import type { Problem } from "../../src/providers/kit/answer.ts";
import type { RecordRequest } from "../../src/providers/kit/types.ts";
import { createZoneFinder, type Zone } from "../../src/providers/kit/zone-finder.ts";

/** DDNS_DELETE_ON_STOP in the record template: which records go, and what a failure says. */
function service(held: HeldRecord[], refuse?: Problem) {
  const removed: string[] = [];
  const api: DeleteApi<Zone> = {
    service: "Testing",
    zoneFix: "add the zone",
    zones: createZoneFinder<Zone>({ list: async () => ({ ok: true, value: [{ name: "example.com" }] }), now: () => 0 }),
    list: async () => ({ ok: true, value: held.filter((r) => !removed.includes(r.id)) }),
    create: async () => ({ ok: false, problem: { kind: "config", reason: "a deletion creates nothing" } }),
    remove: async (_zone, record) => {
      if (refuse) return { ok: false, problem: refuse };
      removed.push(record.id);
      return { ok: true, value: undefined };
    },
  };
  return { api, removed };
}

const request = (extra: Partial<RecordRequest> = {}): RecordRequest => ({ name: "home.example.com", type: "A", content: "203.0.113.7", ...extra });
const opts = (dryRun = false) => ({ signal: AbortSignal.timeout(2000), dryRun });
const HELD: HeldRecord[] = [
  { id: "a", content: "203.0.113.7", comment: "ddnsd:a" },
  { id: "a-old", content: "198.51.100.1", comment: "ddnsd:a" },
  { id: "b", content: "198.51.100.8", comment: "ddnsd:b" },
  { id: "hand", content: "203.0.113.7" },
];

describe("deleting on stop in the record template", () => {
  it.each<{ name: string; request: RecordRequest; removed: string[] }>([
    { name: "with the regex: every record whose comment matches, whatever it holds", request: request({ managedComment: /^ddnsd:a$/ }), removed: ["a", "a-old"] },
    { name: "without the regex: only the records holding the address ddnsd published", request: request(), removed: ["a", "hand"] },
    { name: "without the regex and nothing published: nothing", request: request({ content: "" }), removed: [] },
  ])("$name", async ({ request: req, removed }) => {
    const s = service(HELD);
    const [result] = await createRecordDeleter(s.api)([req], opts());
    expect(result).toEqual({ ok: true, request: req, deleted: HELD.filter((r) => removed.includes(r.id)).map((r) => r.content) });
    expect(s.removed).toEqual(removed);
  });

  it("in a dry run reports what it would delete and removes nothing", async () => {
    const s = service(HELD);
    const [result] = await createRecordDeleter(s.api)([request({ managedComment: /^ddnsd:b$/ })], opts(true));
    expect(result).toMatchObject({ ok: true, deleted: ["198.51.100.8"] });
    expect(s.removed).toEqual([]);
  });

  it("counts a record already gone as deleted, and says which step failed otherwise", async () => {
    const gone = service(HELD, { kind: "config", reason: "no such record", tag: "stale-record" });
    expect((await createRecordDeleter(gone.api)([request({ managedComment: /^ddnsd:b$/ })], opts()))[0]).toMatchObject({ ok: true, deleted: ["198.51.100.8"] });
    const refused = service(HELD, { kind: "auth", reason: "Testing refused the token (HTTP 403)" });
    expect((await createRecordDeleter(refused.api)([request({ managedComment: /^ddnsd:b$/ })], opts()))[0]).toMatchObject({ ok: false, message: "while deleting the record, Testing refused the token (HTTP 403)" });
  });
});
