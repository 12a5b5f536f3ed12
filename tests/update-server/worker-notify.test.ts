import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { until } from "../blackbox/world.ts";
import { serveRoutes, type RoutesServer } from "../fakes/routes-server.ts";
import { startWorker, type WorkerUnderTest } from "./worker-harness.ts";

/**
 * Notifications from src/worker.ts in workerd (Miniflare): the update is answered first, the message is delivered
 * after — so the delivery must be tied to the request's `ctx.waitUntil`, or the runtime may cut it off once the
 * answer is out. The webhook refuses the first attempt with a 503: the one retry, two seconds later, is sent long
 * after the router has its `good`, and arrives only if the Worker kept the delivery alive.
 */
let hook: RoutesServer;
let w: WorkerUnderTest;
const delivered: Array<{ title: string; message: string }> = [];
let attempts = 0;

beforeAll(async () => {
  hook = serveRoutes({
    async "/hook"(req) {
      attempts++;
      if (attempts === 1) return new Response("busy\n", { status: 503 });
      delivered.push((await req.json()) as { title: string; message: string });
      return new Response("", { status: 200 });
    },
  });
  w = await startWorker({ DDNS_RECORDS: "home.example.com", DDNS_NOTIFY_URLS: `generic://${hook.origin.replace("http://", "")}/hook?template=json&disabletls=yes` });
}, 60_000);
afterAll(async () => {
  await w?.stop();
  await hook?.stop();
});

describe("notifications from the Worker under workerd", () => {
  it("delivers a message retried after the answer was sent (tied to ctx.waitUntil)", async () => {
    const res = await w.dispatch("/nic/update?hostname=home.example.com&myip=203.0.113.44", { auth: ["router", "push-secret-9876"], ip: "198.51.100.10" });
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: "good 203.0.113.44\n" });
    expect(delivered).toEqual([]);
    await until(() => delivered.length, (n) => n > 0, 8_000, "the retried notification").catch(() => undefined);
    expect({ attempts, delivered }).toEqual({ attempts: 2, delivered: [{ title: expect.any(String), message: expect.stringContaining("home.example.com") }] });
  }, 20_000);
});
