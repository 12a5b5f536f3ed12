import process from "node:process";
import { startFakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import { createIpEcho } from "../fakes/ip-echo.ts";

/**
 * The fake Cloudflare API and the fake "what is my IP" service on one port of all interfaces, for running inside
 * a container next to the daemon (tests/deploy/compose.test.ts compiles this with `bun build --compile` and runs
 * it as a second compose service). Listening on 0.0.0.0 is fine there: the container's own network namespace.
 *
 *   fake-services --port 8787 --token T --zones example.com --v4 203.0.113.7
 */

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return (i > 0 ? process.argv[i + 1] : undefined) ?? fallback;
}

const echo = createIpEcho({ v4: option("v4", "203.0.113.7") });
const cf = await startFakeCloudflare({
  hostname: "0.0.0.0",
  port: Number(option("port", "8787")),
  token: option("token", "fake-cloudflare-token"),
  zones: option("zones", "example.com").split(","),
  extraHandler: (req) => echo.handle(req),
});
console.log(`fake services listening on port ${cf.port}`);

const stop = async () => {
  await cf.stop();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
