import type { CfResultInfo } from "./api-types.ts";

/**
 * Whether a listing goes on after `page`. Cloudflare's schema documents `count`, `page`, `per_page` and
 * `total_count` in `result_info`; `total_pages` is not promised (and API-compatible servers leave parts out).
 * So: an empty page ends the listing; a known `total_count` ends it once that many items were listed; else a
 * known `total_pages`; else a short page (fewer items than the page size the server says it used, or the one
 * asked for) is the last. Callers cap the number of pages against a server that never stops.
 */
export interface PageSeen {
  page: number;
  /** Items on this page. */
  received: number;
  /** Items on all pages so far, this one included. */
  listed: number;
  /** The `per_page` asked for. */
  perPage: number;
}

export function hasNextPage(info: CfResultInfo | undefined, seen: PageSeen): boolean {
  if (seen.received === 0) return false;
  if (info?.total_count !== undefined) return seen.listed < info.total_count;
  if (info?.total_pages !== undefined) return seen.page < info.total_pages;
  return seen.received >= (info?.per_page ?? seen.perPage);
}
