import type { Answer } from "./answer.ts";

/**
 * Reads every page of a listing. The provider says how to fetch one page and what the page said; the loop ends on
 * an empty page, a short page (fewer items than the page size), the announced total reached, the announced last
 * page, a page marked last (no "next" link), no next cursor — whichever the API provides; a server that never stops is cut at `maxPages` with a problem
 * rather than read forever. Totals are trusted only to stop early, never to stop at page 1 (Cloudflare's
 * `total_pages` is not in its schema and may be missing).
 */
export interface Page<T> {
  items: T[];
  /** Items per page as requested (a shorter page is the last). */
  perPage?: number;
  /** Total items of the listing, when the API says. */
  total?: number;
  /** Total pages, when the API says. */
  totalPages?: number;
  /** Cursor APIs: what to send for the next page; `null`/`undefined` with `cursor: true` ends the listing. */
  next?: string | null;
  /** Page-number APIs: the page says whether another follows (DigitalOcean: `links.pages.next` present or not). */
  last?: boolean;
}

export interface PaginateOptions {
  maxPages?: number;
  /** The API pages by cursor (`next`), not by number. */
  cursor?: boolean;
  /** The service's name, for the "too many pages" problem. */
  service: string;
}

export async function collectPages<T>(
  fetchPage: (page: number, cursor: string | undefined) => Promise<Answer<Page<T>>>,
  options: PaginateOptions,
): Promise<Answer<T[]>> {
  const maxPages = options.maxPages ?? 100;
  const all: T[] = [];
  let cursor: string | undefined;
  for (let page = 1; page <= maxPages; page++) {
    const answer = await fetchPage(page, cursor);
    if (!answer.ok) return answer;
    const p = answer.value;
    all.push(...p.items);
    if (p.items.length === 0 || p.last === true) return { ok: true, value: all };
    if (options.cursor) {
      if (p.next === null || p.next === undefined || p.next === "") return { ok: true, value: all };
      cursor = p.next;
      continue;
    }
    if (p.perPage !== undefined && p.items.length < p.perPage) return { ok: true, value: all };
    if (p.total !== undefined && all.length >= p.total) return { ok: true, value: all };
    if (p.totalPages !== undefined && page >= p.totalPages && p.total === undefined) return { ok: true, value: all };
    if (p.perPage === undefined && p.total === undefined && p.totalPages === undefined && p.last === undefined) return { ok: true, value: all };
  }
  return {
    ok: false,
    problem: { kind: "transient", reason: `${options.service} kept announcing more pages after ${maxPages} pages; ddnsd stopped reading the listing and will try again` },
  };
}
