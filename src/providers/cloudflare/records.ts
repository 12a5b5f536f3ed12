import type { RecordType } from "../../core/family.ts";
import type { ApiAnswer, CfBatchBody, CfBatchResult, CfRecord } from "./api-types.ts";
import type { CloudflareClient } from "./client.ts";
import { hasNextPage } from "./pagination.ts";

/**
 * The DNS-record endpoints of one zone: list by exact name and type (paging until a short page or `total_count`, see pagination.ts),
 * PATCH (content only: ttl, proxied, comment and tags stay as the operator set them), POST, DELETE and batch.
 */

export interface RecordsApi {
  list(zoneId: string, name: string, type: RecordType, signal: AbortSignal): Promise<ApiAnswer<CfRecord[]>>;
  /** Every record of `type` in the zone (for many names at once: one or a few requests instead of one each). */
  listAll(zoneId: string, type: RecordType, signal: AbortSignal): Promise<ApiAnswer<CfRecord[]>>;
  patch(zoneId: string, id: string, content: string, signal: AbortSignal): Promise<ApiAnswer<CfRecord>>;
  create(zoneId: string, record: NewRecord, signal: AbortSignal): Promise<ApiAnswer<CfRecord>>;
  remove(zoneId: string, id: string, signal: AbortSignal): Promise<ApiAnswer<unknown>>;
  batch(zoneId: string, body: CfBatchBody, signal: AbortSignal): Promise<ApiAnswer<CfBatchResult>>;
}

export interface NewRecord {
  type: RecordType;
  name: string;
  content: string;
  ttl: number;
  proxied: boolean;
}

/** A guard against a server that keeps announcing more pages. */
const MAX_PAGES = 1000;

const zonePath = (zoneId: string) => `/zones/${encodeURIComponent(zoneId)}/dns_records`;

function isRecord(r: unknown): r is CfRecord {
  if (!r || typeof r !== "object") return false;
  const v = r as Record<string, unknown>;
  return typeof v.id === "string" && typeof v.type === "string" && typeof v.name === "string" && typeof v.content === "string";
}

function badShape<T>(what: string): ApiAnswer<T> {
  return { ok: false, failure: { reason: "invalid-json", status: 200, errors: [], mayHaveArrived: false, detail: what } };
}

export function createRecordsApi(client: CloudflareClient, perPage: number, bulkPerPage: number): RecordsApi {
  async function pages(zoneId: string, filter: Record<string, string | number>, size: number, keep: (r: CfRecord) => boolean, signal: AbortSignal): Promise<ApiAnswer<CfRecord[]>> {
    const records: CfRecord[] = [];
    let listed = 0;
    for (let page = 1; page <= MAX_PAGES; page++) {
      const answer = await client.call<unknown>("GET", zonePath(zoneId), { query: { ...filter, per_page: size, page }, signal });
      if (!answer.ok) return answer;
      if (!Array.isArray(answer.result)) return badShape("the record list is not an array");
      // The filter is Cloudflare's; the check is ours (an API-compatible server may ignore a filter).
      records.push(...answer.result.filter(isRecord).filter(keep));
      listed += answer.result.length;
      if (!hasNextPage(answer.resultInfo, { page, received: answer.result.length, listed, perPage: size })) break;
    }
    return { ok: true, result: records };
  }

  return {
    list(zoneId, name, type, signal) {
      const query = { type, "name.exact": name };
      return pages(zoneId, query, perPage, (r) => r.type === type && r.name.toLowerCase() === name, signal);
    },
    listAll(zoneId, type, signal) {
      return pages(zoneId, { type }, bulkPerPage, (r) => r.type === type, signal);
    },
    async patch(zoneId, id, content, signal) {
      const answer = await client.call<unknown>("PATCH", `${zonePath(zoneId)}/${encodeURIComponent(id)}`, { body: { content }, signal });
      if (!answer.ok) return answer;
      return isRecord(answer.result) ? { ok: true, result: answer.result } : { ok: true, result: { id, type: "", name: "", content } };
    },
    async create(zoneId, record, signal) {
      const answer = await client.call<unknown>("POST", zonePath(zoneId), { body: { ...record }, signal });
      if (!answer.ok) return answer;
      if (!isRecord(answer.result)) return { ok: false, failure: { reason: "invalid-json", status: 200, errors: [], mayHaveArrived: true, detail: "no record in the answer" } };
      return { ok: true, result: answer.result };
    },
    async remove(zoneId, id, signal) {
      return client.call<unknown>("DELETE", `${zonePath(zoneId)}/${encodeURIComponent(id)}`, { signal });
    },
    async batch(zoneId, body, signal) {
      const answer = await client.call<unknown>("POST", `${zonePath(zoneId)}/batch`, { body, signal });
      if (!answer.ok) return answer;
      const result = (answer.result ?? {}) as Record<string, unknown>;
      const pick = (k: string) => (Array.isArray(result[k]) ? (result[k] as unknown[]).filter(isRecord) : []);
      return { ok: true, result: { deletes: pick("deletes"), patches: pick("patches"), puts: pick("puts"), posts: pick("posts") } };
    },
  };
}
