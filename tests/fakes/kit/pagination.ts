/**
 * Page-number pagination as hosted DNS APIs serve it, for fakes: `page` and `per_page` read from the query (a page
 * size above the service's maximum is cut to it, as the real services do, so a client must follow the links rather
 * than trust the size it asked for), the slice, the totals, and the links to the other pages — only those that make
 * sense (no `first`/`prev` on page 1, no `next`/`last` on the last), as absolute URLs with the request's own query.
 * Each fake wraps the result in its service's envelope (DigitalOcean: `links.pages` and `meta.total`).
 */
export interface PageRules {
  defaultPerPage: number;
  maxPerPage: number;
  pageParam?: string;
  perPageParam?: string;
}

export interface PageLinks {
  first?: string;
  prev?: string;
  next?: string;
  last?: string;
}

export interface ServedPage<T> {
  items: T[];
  page: number;
  perPage: number;
  pages: number;
  total: number;
  links: PageLinks;
}

const positive = (raw: string | null): number | undefined | "invalid" => {
  if (raw === null) return undefined;
  return /^[1-9][0-9]{0,6}$/.test(raw) ? Number(raw) : "invalid";
};

/** The page asked for, or why the query is refused (a page or page size that is not a positive integer). */
export function servePage<T>(items: readonly T[], url: URL, rules: PageRules): ServedPage<T> | { invalid: string } {
  const pageParam = rules.pageParam ?? "page";
  const perPageParam = rules.perPageParam ?? "per_page";
  const page = positive(url.searchParams.get(pageParam));
  const asked = positive(url.searchParams.get(perPageParam));
  if (page === "invalid") return { invalid: `${pageParam} must be a positive integer` };
  if (asked === "invalid") return { invalid: `${perPageParam} must be a positive integer` };
  const perPage = Math.min(asked ?? rules.defaultPerPage, rules.maxPerPage);
  const current = page ?? 1;
  const pages = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number) => {
    const target = new URL(url);
    target.searchParams.set(pageParam, String(n));
    return target.toString();
  };
  const links: PageLinks = {};
  if (current > 1) Object.assign(links, { first: link(1), prev: link(Math.min(current - 1, pages)) });
  if (current < pages) Object.assign(links, { next: link(current + 1), last: link(pages) });
  return { items: items.slice((current - 1) * perPage, current * perPage), page: current, perPage, pages, total: items.length, links };
}
