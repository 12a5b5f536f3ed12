import type { RestApi } from "../kit/rest-api.ts";
import type { DeleteResult, RecordRequest, SetOptions } from "../kit/types.ts";
import { groupBy, packChunks } from "../kit/per-record.ts";
import { DUCKDNS_SUFFIX } from "./duckdns-protocol.ts";

/**
 * DDNS_DELETE_ON_STOP on DuckDNS: `GET <base>/update?domains=<subs>&token=<token>&clear=true` (www.duckdns.org/spec.jsp:
 * "if you specify clear=true then the update will ignore all ip's and clear both your records"). It clears A and AAAA
 * of a name at once, so a name is cleared only when this daemon manages both (DDNS_IP_VERSIONS=4,6) and published at
 * least one of them; otherwise it stays, and the result says why. Names go together, as updates do.
 */
export interface ClearDeps {
  api: Pick<RestApi, "reply">;
  token: string;
  maxPerCall: number;
}

const subOf = (name: string) => name.slice(0, -DUCKDNS_SUFFIX.length);

export function createDuckDnsClear(deps: ClearDeps) {
  return async function clear(requests: RecordRequest[], options: SetOptions): Promise<DeleteResult[]> {
    const results = new Array<DeleteResult>(requests.length);
    const indexed = requests.map((request, index) => ({ request, index }));
    const clearable: Array<{ name: string; members: typeof indexed }> = [];
    for (const [name, members] of groupBy(indexed, (m) => m.request.name)) {
      const types = new Set(members.map((m) => m.request.type));
      const published = members.some((m) => m.request.content !== "");
      if (!published) {
        for (const m of members) results[m.index] = { ok: true, request: m.request, deleted: [] };
      } else if (!(types.has("A") && types.has("AAAA"))) {
        const kept = `DuckDNS clears both addresses of a name at once (clear=true), and this daemon manages only its ${[...types].join(" and ")} record`;
        for (const m of members) results[m.index] = { ok: true, request: m.request, deleted: [], kept };
      } else clearable.push({ name, members });
    }
    const done = (members: typeof indexed) => {
      for (const m of members) results[m.index] = { ok: true, request: m.request, deleted: m.request.content === "" ? [] : [m.request.content] };
    };
    if (options.dryRun) {
      for (const c of clearable) done(c.members);
      return results;
    }
    for (const chunk of packChunks(clearable, () => 1, deps.maxPerCall).chunks) {
      const query = { domains: chunk.map((c) => subOf(c.name)).join(","), token: deps.token, clear: "true" };
      const answer = await deps.api.reply("GET", "/update", { query, write: true, signal: options.signal }, (reply) => {
        const text = reply.text.trim();
        return text === "OK" || text === "KO" ? text : undefined;
      }, (text) => (text === "OK" ? "ok" : "error"));
      for (const c of chunk) {
        if (answer.ok && answer.value === "OK") done(c.members);
        else {
          const message = answer.ok
            ? "DuckDNS refused to clear the name (KO): check the token and that the domain belongs to it (DDNS_PROVIDER_API_TOKEN, DDNS_RECORDS)"
            : `while clearing the name, ${answer.problem.reason}`;
          for (const m of c.members) results[m.index] = { ok: false, request: m.request, message };
        }
      }
    }
    return results;
  };
}
