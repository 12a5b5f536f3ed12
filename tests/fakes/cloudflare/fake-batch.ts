import { E, ok, type FakeAnswer } from "./fake-errors.ts";
import type { FakeRecord, FakeState, FakeZone } from "./fake-state.ts";

/**
 * `POST /zones/{zone_id}/dns_records/batch` as documented: `{ deletes: [{id}], patches: [{id, …}], puts: [{id, …}],
 * posts: [{…}] }`, run in that order — deletes, patches, puts, posts — in one transaction: the first failing
 * operation fails the whole batch and nothing changes. The number of operations is limited by the zone's plan
 * (200 on Free). The answer holds the affected records under the same four keys.
 */

const KEYS = ["deletes", "patches", "puts", "posts"] as const;

export function runBatch(state: FakeState, zone: FakeZone, body: unknown, limit: number): FakeAnswer {
  if (!body || typeof body !== "object" || Array.isArray(body)) return E.badBody("the body must be a JSON object");
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (!(KEYS as readonly string[]).includes(key)) return E.badBody(`unknown field ${JSON.stringify(key)}`);
    if (!Array.isArray(b[key])) return E.badBody(`${key} must be a list`);
  }
  const list = (key: (typeof KEYS)[number]) => (b[key] ?? []) as unknown[];
  const total = KEYS.reduce((n, k) => n + list(k).length, 0);
  if (total === 0) return E.badBody("a batch needs at least one operation");
  if (total > limit) return E.batchTooLarge(limit);

  const idOf = (op: unknown): string | undefined => {
    const id = op && typeof op === "object" ? (op as { id?: unknown }).id : undefined;
    return typeof id === "string" ? id : undefined;
  };
  const withoutId = (op: unknown) => {
    const { id: _id, ...rest } = op as Record<string, unknown>;
    return rest;
  };

  return state.transaction((ops) => {
    const result: Record<(typeof KEYS)[number], FakeRecord[]> = { deletes: [], patches: [], puts: [], posts: [] };
    const fail = (answer: FakeAnswer) => ({ commit: false, value: answer });
    for (const op of list("deletes")) {
      const id = idOf(op);
      if (!id) return fail(E.badBody("every delete needs an id"));
      const done = ops.remove(zone, id);
      if (!done.ok) return fail(done.answer);
      result.deletes.push(done.record);
    }
    for (const [key, replace] of [["patches", false], ["puts", true]] as const) {
      for (const op of list(key)) {
        const id = idOf(op);
        if (!id) return fail(E.badBody(`every entry of ${key} needs an id`));
        const done = ops.update(zone, id, withoutId(op), replace);
        if (!done.ok) return fail(done.answer);
        result[key].push(done.record);
      }
    }
    for (const op of list("posts")) {
      const done = ops.create(zone, op);
      if (!done.ok) return fail(done.answer);
      result.posts.push(done.record);
    }
    return { commit: true, value: ok(result) };
  });
}
