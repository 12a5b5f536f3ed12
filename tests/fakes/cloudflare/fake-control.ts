import type { FaultRule, Faults } from "./fake-faults.ts";
import type { FakeState, RecordSeed } from "./fake-state.ts";

/**
 * The fake's control API, so that black-box tests of the compiled daemon can drive it over HTTP:
 *   GET    /_control/records[?name=&type=]   the records (JSON array)
 *   POST   /_control/records                 seed one record or an array of them ({ name, type, content, … })
 *   DELETE /_control/records[?id=]           remove one record, or every record
 *   GET    /_control/zones                   the zones with their ids
 *   GET    /_control/requests                the request log; DELETE clears it
 *   GET    /_control/faults                  active fault rules; POST adds one or an array; DELETE clears them
 *   POST   /_control/rng?seed=N              reseeds the fault RNG
 */

export interface LoggedRequest {
  method: string;
  /** Path after `/client/v4`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON when the body was JSON, the raw text otherwise, undefined when empty. */
  body: unknown;
  /** The fault that spoiled the answer, if any. */
  fault?: string;
  /** When the request arrived (epoch ms), for tests of retry timing. */
  at?: number;
  status?: number;
}

const json = (value: unknown, status = 200) => Response.json(value, { status });

export async function handleControl(req: Request, path: string, state: FakeState, faults: Faults, log: LoggedRequest[]): Promise<Response> {
  const url = new URL(req.url);
  const method = req.method;
  const readJson = async () => {
    try {
      return { ok: true as const, value: (await req.json()) as unknown };
    } catch {
      return { ok: false as const };
    }
  };
  try {
    switch (`${method} ${path}`) {
      case "GET /_control/records": {
        const name = url.searchParams.get("name");
        const type = url.searchParams.get("type");
        return json(state.records().filter((r) => (name === null || r.name === name) && (type === null || r.type === type)));
      }
      case "POST /_control/records": {
        const body = await readJson();
        if (!body.ok) return json({ error: "body must be JSON" }, 400);
        const seeds = (Array.isArray(body.value) ? body.value : [body.value]) as RecordSeed[];
        return json(seeds.map((s) => state.seed(s)), 201);
      }
      case "DELETE /_control/records": {
        const id = url.searchParams.get("id");
        if (id === null) state.clear();
        else if (!state.remove(id)) return json({ error: `no record ${JSON.stringify(id)}` }, 404);
        return json({ ok: true });
      }
      case "GET /_control/zones":
        return json(state.zones);
      case "GET /_control/requests":
        return json(log);
      case "DELETE /_control/requests":
        log.length = 0;
        return json({ ok: true });
      case "GET /_control/faults":
        return json(faults.list());
      case "POST /_control/faults": {
        const body = await readJson();
        if (!body.ok) return json({ error: "body must be JSON" }, 400);
        for (const rule of (Array.isArray(body.value) ? body.value : [body.value]) as FaultRule[]) faults.add(rule);
        return json(faults.list(), 201);
      }
      case "DELETE /_control/faults":
        faults.clear();
        return json({ ok: true });
      case "POST /_control/rng": {
        const seed = Number(url.searchParams.get("seed"));
        if (!Number.isInteger(seed)) return json({ error: "seed must be an integer" }, 400);
        faults.seed(seed);
        return json({ ok: true });
      }
      default:
        return json({ error: `no control endpoint ${method} ${path}` }, 404);
    }
  } catch (error) {
    return json({ error: error instanceof Error ? error.message : String(error) }, 400);
  }
}
