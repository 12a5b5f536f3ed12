import type { RecordType } from "../../core/family.ts";
import { fail, ok, type Answer, type Problem } from "../kit/answer.ts";
import type { HttpMethod } from "../kit/http-types.ts";
import { collectPages } from "../kit/paginate.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import type { HeldRecord, NewRecord, RecordChanges, RecordPlan } from "../kit/record-plan.ts";
import type { RestCall } from "../kit/rest-api.ts";
import type { RecordRequest } from "../kit/types.ts";
import type { Zone } from "../kit/zone-finder.ts";
import { pageOf, type Envelope } from "./envelope.ts";
import { notCloudflareAnswer } from "./errors.ts";

/**
 * The DNS-record endpoints of one zone, as Cloudflare documents them: list by exact name and type (or every
 * record of a type, for many names at once), POST, PATCH, DELETE and `POST …/dns_records/batch` (deletes, patches,
 * puts, then posts, in one transaction). A PATCH carries the content (and the comment ddnsd writes): the TTL,
 * proxy status and tags stay as the operator set them. A created record gets the request's TTL (`auto` → 1,
 * Cloudflare's automatic) and proxy flag (default off).
 */

export interface CfZone extends Zone {
  id: string;
}

/** One call through the kit's REST glue, answered with Cloudflare's envelope. */
export type CfCall = (method: HttpMethod, path: string, init: RestCall) => Promise<Answer<Envelope>>;

export interface RecordSizes {
  /** `per_page` of an exact-name listing. */
  perPage: number;
  /** `per_page` of a zone-wide listing (each page must fit the answer cap). */
  bulkPerPage: number;
  batchLimit: number;
}

export type CloudflareRecords = Omit<RecordApi<CfZone>, "service" | "zones" | "zoneFix">;

interface CfRecord {
  id: string;
  type: string;
  name: string;
  content: string;
  ttl?: unknown;
  proxied?: unknown;
  comment?: unknown;
}

/** A listing of thousands of records ends long before this; a server that never stops does not. */
const MAX_PAGES = 1000;

const recordsPath = (zone: CfZone) => `/zones/${encodeURIComponent(zone.id)}/dns_records`;

function isRecord(r: unknown): r is CfRecord {
  if (!r || typeof r !== "object") return false;
  const v = r as Record<string, unknown>;
  return typeof v.id === "string" && typeof v.type === "string" && typeof v.name === "string" && typeof v.content === "string";
}

function held(r: CfRecord): HeldRecord {
  const out: HeldRecord = { id: r.id, content: r.content };
  if (typeof r.ttl === "number") out.ttl = r.ttl;
  if (typeof r.proxied === "boolean") out.proxied = r.proxied;
  if (typeof r.comment === "string") out.comment = r.comment;
  return out;
}

const withComment = (comment: string | undefined) => (comment === undefined ? {} : { comment });
const postBody = (r: NewRecord) => ({ type: r.type, name: r.name, content: r.content, ttl: r.ttl ?? 1, proxied: r.proxied ?? false, ...withComment(r.comment) });
const patchBody = (changes: RecordChanges, request: RecordRequest) => ({ content: changes.content, ...withComment(request.comment) });

export function createCloudflareRecords(call: CfCall, sizes: RecordSizes): CloudflareRecords {
  const notAList: Problem = notCloudflareAnswer(200);

  async function listed(zone: CfZone, filter: Record<string, string>, perPage: number, signal: AbortSignal): Promise<Answer<CfRecord[]>> {
    const all = await collectPages<unknown>(
      async (page) => {
        const answer = await call("GET", recordsPath(zone), { query: { ...filter, per_page: perPage, page }, signal });
        if (!answer.ok) return answer;
        const items = pageOf(answer.value, perPage);
        return items ? ok(items) : fail(notAList);
      },
      { service: "Cloudflare", maxPages: MAX_PAGES },
    );
    // The filter is Cloudflare's; the check is ours (an API-compatible server may ignore a filter).
    return all.ok ? ok(all.value.filter(isRecord).filter((r) => r.type === filter.type)) : all;
  }

  return {
    batchLimit: sizes.batchLimit,
    async list(zone, name, type: RecordType, signal) {
      const answer = await listed(zone, { type, "name.exact": name }, sizes.perPage, signal);
      return answer.ok ? ok(answer.value.filter((r) => r.name.toLowerCase() === name).map(held)) : answer;
    },
    async listAll(zone, type, signal) {
      const answer = await listed(zone, { type }, sizes.bulkPerPage, signal);
      return answer.ok ? ok(answer.value.map((r) => ({ ...held(r), name: r.name }))) : answer;
    },
    async create(zone, record, signal) {
      const answer = await call("POST", recordsPath(zone), { body: postBody(record), signal });
      if (!answer.ok) return answer;
      // Created either way; without the id in the answer, the next round reads it.
      return ok(isRecord(answer.value.result) ? held(answer.value.result) : undefined);
    },
    async update(zone, record, changes, request, signal) {
      const answer = await call("PATCH", `${recordsPath(zone)}/${encodeURIComponent(record.id)}`, { body: patchBody(changes, request), signal });
      return answer.ok ? ok(undefined) : answer;
    },
    async remove(zone, record, signal) {
      const answer = await call("DELETE", `${recordsPath(zone)}/${encodeURIComponent(record.id)}`, { signal });
      return answer.ok ? ok(undefined) : answer;
    },
    async batch(zone, plans: RecordPlan[], signal) {
      const deletes = plans.flatMap((p) => p.deletes.map((d) => ({ id: d.id })));
      const patches = plans.flatMap((p) => (p.update && p.keep ? [{ id: p.keep.id, ...patchBody(p.update, p.request) }] : []));
      const posts = plans.flatMap((p) => (p.create ? [postBody(p.create)] : []));
      const body = { ...(deletes.length ? { deletes } : {}), ...(patches.length ? { patches } : {}), ...(posts.length ? { posts } : {}) };
      const answer = await call("POST", `${recordsPath(zone)}/batch`, { body, signal });
      if (!answer.ok) return answer;
      const result = (answer.value.result ?? {}) as { posts?: unknown };
      const created = Array.isArray(result.posts) ? result.posts : [];
      let next = 0;
      return ok(
        plans.map((p) => {
          if (!p.create) return p.keep && { ...p.keep, ...p.update };
          const record = created[next++];
          return isRecord(record) ? held(record) : undefined;
        }),
      );
    },
  };
}
