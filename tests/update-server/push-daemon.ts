import { spawnDaemon, type Daemon } from "../blackbox/harness.ts";

/**
 * The compiled daemon in push mode for the black-box tests of tests/edge/: its environment (Cloudflare against a
 * fake, two records, the endpoint's credentials, a lockout of 3 per 10 minutes) and a start that waits until the
 * endpoint answers.
 */
export const TOKEN = "cf-daemon-token-5566";
export const PASSWORD = "router-pass-7788";
export const USER = "router";
export const basic = (user: string, password: string) => ({ Authorization: `Basic ${btoa(`${user}:${password}`)}` });
export const AUTH = basic(USER, PASSWORD);

export async function freePort(): Promise<number> {
  const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
  const port = s.port!;
  await s.stop(true);
  return port;
}

export const pushEnv = (cfUrl: string, port: number, extra: Record<string, string | undefined> = {}) => ({
  DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_URL: cfUrl,
  DDNS_RECORDS: "home.example.com,www.example.com", DDNS_IP_SOURCE_TYPE: "push", DDNS_UPDATE_USERNAME: USER,
  DDNS_UPDATE_PASSWORD: PASSWORD, DDNS_UPDATE_LOCKOUT: "3/10m", DDNS_HTTP_ADDR: `127.0.0.1:${port}`, ...extra,
});

export interface PushDaemon {
  daemon: Daemon;
  base: string;
  port: number;
  /** SIGTERM, and the exit code must be 0. */
  stop(): Promise<number>;
}

/** Starts `dist/ddnsd` in push mode (on `port`, or a free one) and waits for "Ready to monitor IP changes". */
export async function startPushDaemon(cfUrl: string, extra: Record<string, string | undefined> = {}, port?: number): Promise<PushDaemon> {
  const p = port ?? (await freePort());
  const daemon = spawnDaemon(["run"], pushEnv(cfUrl, p, extra), [PASSWORD]);
  await daemon.waitForLine(`DynDNS2 update endpoint: http://127.0.0.1:${p}/nic/update`);
  await daemon.waitForLine("Ready to monitor IP changes");
  return {
    daemon,
    base: `http://127.0.0.1:${p}`,
    port: p,
    stop: async () => {
      daemon.kill("SIGTERM");
      return daemon.exited();
    },
  };
}
