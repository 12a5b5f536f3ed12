import { E, ok, type FakeAnswer } from "./fake-errors.ts";
import type { FakeState } from "./fake-state.ts";
import { listRecords, listZones, type ResultInfoField } from "./fake-lists.ts";
import { runBatch } from "./fake-batch.ts";

/**
 * The Cloudflare v4 routes the fake serves, strictly: Bearer auth on every call (9106 missing, 6003/6111
 * malformed, 9109 wrong token, 10000 when a read-only token writes), exact paths (7003/7000 otherwise, as
 * Cloudflare answers an unknown route), JSON bodies with `Content-Type: application/json` (6003/6105), and the
 * record rules of fake-state.ts. `/zones/?name=` (ddclient's spelling) is accepted.
 */

export interface ApiOptions {
  token: string;
  /** Tokens that may read but not write (DNS:Read only). */
  readOnlyTokens: string[];
  batchLimit: number;
  batchEnabled: boolean;
  /** `result_info` fields left out of list answers. */
  omitResultInfo: readonly ResultInfoField[];
}

export interface ApiRequest {
  method: string;
  /** Path after the `/client/v4` prefix. */
  path: string;
  query: URLSearchParams;
  headers: Headers;
  text: string;
}

const ID = "[0-9a-f]{32}";
const ROUTES = {
  zones: /^\/zones\/?$/,
  zone: new RegExp(`^/zones/(${ID})$`),
  records: new RegExp(`^/zones/(${ID})/dns_records$`),
  record: new RegExp(`^/zones/(${ID})/dns_records/(${ID})$`),
  batch: new RegExp(`^/zones/(${ID})/dns_records/batch$`),
};

function authorize(req: ApiRequest, opts: ApiOptions): { answer?: FakeAnswer; canWrite: boolean } {
  const header = req.headers.get("authorization");
  if (header === null) {
    if (req.headers.has("x-auth-key") || req.headers.has("x-auth-email")) return { answer: E.invalidToken(), canWrite: false };
    return { answer: E.missingAuth(), canWrite: false };
  }
  const match = /^Bearer ([\x21-\x7e]+)$/.exec(header);
  if (!match) return { answer: E.badAuthFormat(), canWrite: false };
  if (match[1] === opts.token) return { canWrite: true };
  if (opts.readOnlyTokens.includes(match[1]!)) return { canWrite: false };
  return { answer: E.invalidToken(), canWrite: false };
}

function parseBody(req: ApiRequest): { ok: true; body: unknown } | { ok: false; answer: FakeAnswer } {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) return { ok: false, answer: E.badContentType() };
  try {
    return { ok: true, body: JSON.parse(req.text) };
  } catch {
    return { ok: false, answer: E.badBody() };
  }
}

export function handleApi(req: ApiRequest, state: FakeState, opts: ApiOptions): FakeAnswer {
  const auth = authorize(req, opts);
  if (auth.answer) return auth.answer;
  const { method, path } = req;
  const isWrite = method !== "GET";
  const route = (re: RegExp) => re.exec(path);
  const known = Object.values(ROUTES).some((re) => re.test(path));
  if (!known) return E.noRoute(`/client/v4${path}`);
  if (isWrite && !auth.canWrite) return E.notAllowed();

  let m: RegExpExecArray | null;
  if (route(ROUTES.zones)) return method === "GET" ? listZones(state, req.query, opts.omitResultInfo) : E.methodNotAllowed();
  if ((m = route(ROUTES.zone))) {
    const zone = state.zoneById(m[1]!);
    if (!zone) return E.noRoute(`/client/v4${path}`);
    return method === "GET" ? ok(zone) : E.methodNotAllowed();
  }
  if ((m = route(ROUTES.batch))) {
    const zone = state.zoneById(m[1]!);
    if (!zone || !opts.batchEnabled) return E.noRoute(`/client/v4${path}`);
    if (method !== "POST") return E.methodNotAllowed();
    const parsed = parseBody(req);
    return parsed.ok ? runBatch(state, zone, parsed.body, opts.batchLimit) : parsed.answer;
  }
  if ((m = route(ROUTES.records))) {
    const zone = state.zoneById(m[1]!);
    if (!zone) return E.noRoute(`/client/v4${path}`);
    if (method === "GET") return listRecords(state, zone, req.query, opts.omitResultInfo);
    if (method !== "POST") return E.methodNotAllowed();
    const parsed = parseBody(req);
    if (!parsed.ok) return parsed.answer;
    const created = state.ops().create(zone, parsed.body);
    return created.ok ? ok(created.record) : created.answer;
  }
  if ((m = route(ROUTES.record))) {
    const zone = state.zoneById(m[1]!);
    if (!zone) return E.noRoute(`/client/v4${path}`);
    const id = m[2]!;
    if (method === "GET") {
      const record = state.records().find((r) => r.id === id && r.zone_id === zone.id);
      return record ? ok(record) : E.recordMissing();
    }
    if (method === "DELETE") {
      const removed = state.ops().remove(zone, id);
      return removed.ok ? ok({ id }) : removed.answer;
    }
    if (method !== "PATCH" && method !== "PUT") return E.methodNotAllowed();
    const parsed = parseBody(req);
    if (!parsed.ok) return parsed.answer;
    const updated = state.ops().update(zone, id, parsed.body, method === "PUT");
    return updated.ok ? ok(updated.record) : updated.answer;
  }
  return E.noRoute(`/client/v4${path}`);
}
