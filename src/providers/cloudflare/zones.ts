import { fail, ok, type Answer } from "../kit/answer.ts";
import { collectPages } from "../kit/paginate.ts";
import { pageOf } from "./envelope.ts";
import { notCloudflareAnswer } from "./errors.ts";
import type { CfCall, CfZone } from "./records.ts";

/**
 * How ddnsd learns the token's zones, for the kit's zone finder: `GET /zones?name=<suffix>` for one suffix, and
 * `GET /zones` page by page for all of them (when many names are unknown) — at most 10 pages of 50 (the API's
 * largest page): a longer list is not read, the finder walks the suffixes instead. Where Cloudflare lists a
 * name twice (a zone being moved), the active one wins.
 */

const ZONES_PER_PAGE = 50;
const MAX_ZONE_PAGES = 10;

interface Listed {
  id: string;
  name: string;
  status?: unknown;
}

const isZone = (z: unknown): z is Listed =>
  !!z && typeof z === "object" && typeof (z as Listed).id === "string" && typeof (z as Listed).name === "string";

/** One zone per name, the active one where there are several. */
function preferActive(zones: readonly Listed[]): CfZone[] {
  const byName = new Map<string, Listed>();
  for (const z of zones) {
    const name = z.name.toLowerCase();
    if (byName.get(name)?.status !== "active") byName.set(name, z);
  }
  return [...byName].map(([name, z]) => ({ name, id: z.id }));
}

export function createCloudflareZones(call: CfCall) {
  return {
    async lookup(candidate: string, signal: AbortSignal): Promise<Answer<CfZone | undefined>> {
      const answer = await call("GET", "/zones", { query: { name: candidate }, signal });
      if (!answer.ok) return answer;
      const result = answer.value.result;
      if (!Array.isArray(result)) return fail(notCloudflareAnswer(200));
      return ok(preferActive(result.filter(isZone)).find((z) => z.name === candidate));
    },
    async list(signal: AbortSignal): Promise<Answer<CfZone[]>> {
      const all = await collectPages<unknown>(
        async (page) => {
          const answer = await call("GET", "/zones", { query: { per_page: ZONES_PER_PAGE, page }, signal });
          if (!answer.ok) return answer;
          const items = pageOf(answer.value, ZONES_PER_PAGE);
          return items ? ok(items) : fail(notCloudflareAnswer(200));
        },
        { service: "Cloudflare", maxPages: MAX_ZONE_PAGES },
      );
      return all.ok ? ok(preferActive(all.value.filter(isZone))) : all;
    },
  };
}
