import { quote } from "../../core/quote.ts";
import type { Page } from "../kit/paginate.ts";

/**
 * Cloudflare's answer envelope: `{ success, errors: [{ code, message, error_chain? }], messages, result,
 * result_info? }`. Cloudflare's word is `success`, not the HTTP status: a 200 can carry `success: false`, which
 * the kit's REST glue treats as a refusal through `verdict`; anything that is not an envelope is not Cloudflare's
 * answer. Pagination (`result_info`) documents `count`, `page`, `per_page` and `total_count`, not `total_pages`,
 * and API-compatible servers leave parts out: a listing ends on a short page or at `total_count` (kit/paginate.ts).
 */

export interface CfError {
  code: number;
  message: string;
  error_chain?: CfError[];
}

export interface Envelope {
  success: boolean;
  errors?: unknown;
  result?: unknown;
  result_info?: unknown;
}

export const isEnvelope = (body: unknown): body is Envelope =>
  !!body && typeof body === "object" && typeof (body as { success?: unknown }).success === "boolean";

/** What a 2xx answer says, for the kit's REST glue. */
export function verdict(body: unknown): "ok" | "refused" | "unreadable" {
  if (!isEnvelope(body)) return "unreadable";
  return body.success ? "ok" : "refused";
}

export function errorsOf(value: unknown): CfError[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((e): CfError[] => {
    if (!e || typeof e !== "object") return [];
    const code = Number((e as { code?: unknown }).code);
    const message = (e as { message?: unknown }).message;
    const chain = errorsOf((e as { error_chain?: unknown }).error_chain);
    return [{ code: Number.isFinite(code) ? code : 0, message: typeof message === "string" ? message : "", ...(chain.length ? { error_chain: chain } : {}) }];
  });
}

/** Every code in the answer, error chains included, outermost first. */
export function allCodes(errors: readonly CfError[]): number[] {
  return errors.flatMap((e) => [e.code, ...allCodes(e.error_chain ?? [])]);
}

/** `code 9109 "Invalid access token"`, chains included: `code 1004 "DNS Validation Error" (9005 "…")`. */
export function describeCodes(errors: readonly CfError[]): string {
  const one = (e: CfError): string => {
    const chain = e.error_chain?.length ? ` (${e.error_chain.map((c) => `${c.code} ${quote(c.message, 80)}`).join(", ")})` : "";
    return `${e.code} ${quote(e.message, 80)}${chain}`;
  };
  if (errors.length === 0) return "no error code";
  return `code ${errors.slice(0, 3).map(one).join("; ")}`;
}

const count = (info: Record<string, unknown>, key: string): number | undefined => {
  const value = info[key];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
};

/**
 * One page of a listing: the items, and what `result_info` says about the rest (a missing part says nothing);
 * undefined when `result` is not a list (never read as "nothing held").
 */
export function pageOf(envelope: Envelope, perPage: number): Page<unknown> | undefined {
  if (!Array.isArray(envelope.result)) return undefined;
  const items: unknown[] = envelope.result;
  const info = envelope.result_info && typeof envelope.result_info === "object" ? (envelope.result_info as Record<string, unknown>) : {};
  const page: Page<unknown> = { items, perPage: count(info, "per_page") ?? perPage };
  const total = count(info, "total_count");
  const totalPages = count(info, "total_pages");
  if (total !== undefined) page.total = total;
  if (totalPages !== undefined) page.totalPages = totalPages;
  return page;
}
