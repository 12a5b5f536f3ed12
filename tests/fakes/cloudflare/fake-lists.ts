import { E, ok, type FakeAnswer } from "./fake-errors.ts";
import type { FakeRecord, FakeState, FakeZone } from "./fake-state.ts";

/**
 * The two list endpoints with their documented filters and pagination (`page` from 1, `per_page`):
 * - `GET /zones`: `name` (exact, or `contains:` / `starts_with:` / `ends_with:`), `status`; per_page 5…50, default 20.
 * - `GET /zones/{id}/dns_records`: `type`, `name` (exact), `name.exact`, `name.contains`, `name.startswith`,
 *   `name.endswith`, `content`, `content.exact`, `proxied`, `match=all|any`; per_page 1…5 000 000, default 100.
 * Every answer carries `result_info: { page, per_page, count, total_count, total_pages }`, less the fields the fake
 * was told to omit.
 */

function paging(query: URLSearchParams, def: number, min: number, max: number): { page: number; perPage: number } | FakeAnswer {
  const page = query.has("page") ? Number(query.get("page")) : 1;
  const perPage = query.has("per_page") ? Number(query.get("per_page")) : def;
  if (!Number.isInteger(page) || page < 1) return E.paging("page must be an integer of at least 1");
  if (!Number.isInteger(perPage) || perPage < min || perPage > max) return E.paging(`per_page must be an integer from ${min} to ${max}`);
  return { page, perPage };
}

/** The `result_info` fields a fake can leave out (Cloudflare's schema does not promise `total_pages`). */
export type ResultInfoField = "page" | "per_page" | "count" | "total_count" | "total_pages";

function pageOf<T>(items: T[], page: number, perPage: number, omit: readonly ResultInfoField[]): FakeAnswer {
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const info: Record<ResultInfoField, number> = {
    page,
    per_page: perPage,
    count: slice.length,
    total_count: items.length,
    total_pages: Math.max(1, Math.ceil(items.length / perPage)),
  };
  for (const field of omit) delete info[field];
  return ok(slice, info);
}

function textFilter(value: string, op: string, wanted: string): boolean {
  const v = value.toLowerCase();
  const w = wanted.toLowerCase();
  if (op === "contains") return v.includes(w);
  if (op === "startswith" || op === "starts_with") return v.startsWith(w);
  if (op === "endswith" || op === "ends_with") return v.endsWith(w);
  return v === w;
}

export function listZones(state: FakeState, query: URLSearchParams, omit: readonly ResultInfoField[] = []): FakeAnswer {
  const p = paging(query, 20, 5, 50);
  if ("status" in p) return p;
  let zones: FakeZone[] = state.zones;
  const name = query.get("name");
  if (name !== null) {
    const m = /^(contains|starts_with|ends_with|equal):(.*)$/.exec(name);
    zones = zones.filter((z) => (m ? textFilter(z.name, m[1]!, m[2]!) : textFilter(z.name, "exact", name)));
  }
  const status = query.get("status");
  if (status !== null) zones = zones.filter((z) => z.status === status);
  return pageOf(zones, p.page, p.perPage, omit);
}

export function listRecords(state: FakeState, zone: FakeZone, query: URLSearchParams, omit: readonly ResultInfoField[] = []): FakeAnswer {
  const p = paging(query, 100, 1, 5_000_000);
  if ("status" in p) return p;
  const tests: Array<(r: FakeRecord) => boolean> = [];
  const type = query.get("type");
  if (type !== null) tests.push((r) => r.type === type.toUpperCase());
  for (const [key, value] of query) {
    const [field, op = "exact"] = key.split(".");
    if (field === "name") tests.push((r) => textFilter(r.name, op, value));
    if (field === "content") tests.push((r) => (op === "exact" ? r.content === value : textFilter(r.content, op, value)));
  }
  const proxied = query.get("proxied");
  if (proxied !== null) tests.push((r) => String(r.proxied) === proxied);
  const any = query.get("match") === "any";
  const records = state
    .records()
    .filter((r) => r.zone_id === zone.id)
    .filter((r) => (tests.length === 0 ? true : any ? tests.some((t) => t(r)) : tests.every((t) => t(r))));
  return pageOf(records, p.page, p.perPage, omit);
}
