import { describe, expect, it } from "bun:test";
import type { Answer } from "../../src/providers/kit/answer.ts";
import { collectPages, type Page } from "../../src/providers/kit/paginate.ts";

/**
 * The listing loop every paginating provider uses: it stops on whatever the API says about the end (a short page,
 * the total, the last page number, a page marked last, no next cursor), and a server that never stops is cut.
 */
type Shape = Omit<Page<number>, "items">;

/** A listing of `count` items served `served` per page, each page described by `describe(page, pages)`. */
function listing(count: number, served: number, describe: (page: number, pages: number) => Shape) {
  const pages = Math.max(1, Math.ceil(count / served));
  const asked: number[] = [];
  const fetchPage = async (page: number, cursor: string | undefined): Promise<Answer<Page<number>>> => {
    const n = cursor === undefined ? page : Number(cursor);
    asked.push(n);
    const items = Array.from({ length: count }, (_, i) => i).slice((n - 1) * served, n * served);
    return { ok: true, value: { items, ...describe(n, pages) } };
  };
  return { fetchPage, asked };
}

describe("collectPages", () => {
  it.each([
    { name: "a short page ends it", count: 5, served: 2, describe: (): Shape => ({ perPage: 2 }), fetches: 3 },
    { name: "the announced total ends it (a full last page needs no extra read)", count: 4, served: 2, describe: (): Shape => ({ total: 4 }), fetches: 2 },
    { name: "the announced page count ends it", count: 4, served: 2, describe: (_p: number, pages: number): Shape => ({ totalPages: pages }), fetches: 2 },
    { name: "a page marked last ends it, even a full one", count: 4, served: 2, describe: (p: number, pages: number): Shape => ({ last: p === pages }), fetches: 2 },
    {
      name: "pages marked not last are followed although the server serves fewer than asked (DigitalOcean caps per_page)",
      count: 6,
      served: 2,
      describe: (p: number, pages: number): Shape => ({ last: p === pages }),
      fetches: 3,
    },
    { name: "a page marked last wins over a total that promises more", count: 6, served: 2, describe: (p: number): Shape => ({ total: 6, last: p === 2 }), fetches: 2 },
    { name: "no hint at all: one page", count: 6, served: 2, describe: (): Shape => ({}), fetches: 1 },
  ])("$name", async ({ count, served, describe: shape, fetches }) => {
    const { fetchPage, asked } = listing(count, served, shape);
    const answer = await collectPages(fetchPage, { service: "Example" });
    expect(asked.length).toBe(fetches);
    expect(answer).toEqual({ ok: true, value: Array.from({ length: Math.min(count, fetches * served) }, (_, i) => i) });
  });

  it("follows next cursors until there is none", async () => {
    const { fetchPage, asked } = listing(5, 2, (p, pages) => ({ next: p < pages ? String(p + 1) : null }));
    expect(await collectPages(fetchPage, { service: "Example", cursor: true })).toEqual({ ok: true, value: [0, 1, 2, 3, 4] });
    expect(asked).toEqual([1, 2, 3]);
  });

  it("cuts a server that keeps announcing pages, with a problem that names the service", async () => {
    const endless = async (page: number): Promise<Answer<Page<number>>> => ({ ok: true, value: { items: [page], last: false } });
    expect(await collectPages(endless, { service: "Example", maxPages: 3 })).toEqual({
      ok: false,
      problem: { kind: "transient", reason: "Example kept announcing more pages after 3 pages; ddnsd stopped reading the listing and will try again" },
    });
  });

  it("returns the first failing page's problem", async () => {
    const failing = async (page: number): Promise<Answer<Page<number>>> =>
      page === 2 ? { ok: false, problem: { kind: "auth", reason: "refused" } } : { ok: true, value: { items: [1, 2], last: false } };
    expect(await collectPages(failing, { service: "Example" })).toEqual({ ok: false, problem: { kind: "auth", reason: "refused" } });
  });
});
