import { serveRoutes, type RoutesServer } from "./routes-server.ts";

/**
 * A strict receiver for dist/ddnsd's notifications, on a loopback port: a shoutrrr `generic` webhook with
 * `template=json` (POST, Content-Type and Accept application/json, a body of exactly `{"title", "message"}`; shoutrrr
 * docs/services/generic.md), an ntfy topic (POST, the message as the body, Title and Priority headers;
 * https://docs.ntfy.sh/publish/), a healthchecks.io check (POST /ping/UUID, /ping/UUID/start, /ping/UUID/fail;
 * https://healthchecks.io/docs/http_api/), a webhook that never answers, and one that answers 500. Anything else is a 400
 * and is kept in `rejected`, so a test sees a request that does not look like the documented one.
 */
export interface Received {
  channel: "generic" | "ntfy";
  title: string;
  message: string;
}

export interface NotifyReceiver {
  origin: string;
  hostPort: string;
  received: Received[];
  rejected: string[];
  /** healthchecks.io pings in order: `start`, `success` or `fail`, with the body. */
  pings: Array<{ kind: "start" | "success" | "fail"; body: string }>;
  /** The UUID of the healthchecks route (`/ping/UUID`). */
  checkUuid: string;
  /** Requests the hanging route has been sent. */
  hung: () => number;
  stop(): Promise<void>;
}

export function startNotifyReceiver(): NotifyReceiver {
  const received: Received[] = [];
  const rejected: string[] = [];
  let hung = 0;
  const pings: NotifyReceiver["pings"] = [];
  const checkUuid = "5b4f1c3e-8f5e-4c1a-9a4e-0123456789ab";
  const ping = (kind: "start" | "success" | "fail") => async (req: Request) => {
    if (req.method !== "POST") return reject(`healthchecks: method ${req.method}`);
    pings.push({ kind, body: await req.text() });
    return new Response("OK");
  };
  const reject = (why: string) => (rejected.push(why), new Response(`${why}\n`, { status: 400 }));
  const server: RoutesServer = serveRoutes({
    async "/hook"(req) {
      if (req.method !== "POST") return reject(`generic: method ${req.method}`);
      if (req.headers.get("content-type") !== "application/json" || req.headers.get("accept") !== "application/json") return reject("generic: content-type/accept");
      const body = (await req.json()) as Record<string, unknown>;
      if (Object.keys(body).sort().join(",") !== "message,title" || typeof body.title !== "string" || typeof body.message !== "string") return reject(`generic: body keys ${Object.keys(body)}`);
      received.push({ channel: "generic", title: body.title, message: body.message });
      return new Response("", { status: 200 });
    },
    async "/ddns-topic"(req) {
      if (req.method !== "POST") return reject(`ntfy: method ${req.method}`);
      const title = req.headers.get("title");
      if (!title || req.headers.get("priority") !== "3") return reject("ntfy: Title/Priority headers");
      const message = await req.text();
      if (message === "") return reject("ntfy: empty body");
      received.push({ channel: "ntfy", title, message });
      return Response.json({ id: "x", event: "message", topic: "ddns-topic" });
    },
    [`/ping/${checkUuid}`]: ping("success"),
    [`/ping/${checkUuid}/start`]: ping("start"),
    [`/ping/${checkUuid}/fail`]: ping("fail"),
    "/hang": () => (hung++, new Promise<Response>(() => {})),
    "/broken": () => new Response("internal error\n", { status: 500 }),
  });
  return { origin: server.origin, hostPort: server.origin.replace("http://", ""), received, rejected, pings, checkUuid, hung: () => hung, stop: server.stop };
}
