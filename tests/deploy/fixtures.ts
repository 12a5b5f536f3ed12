import { readFileSync } from "node:fs";
import { startFakeCloudflare, type FakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import { createIpEcho, type IpEcho } from "../fakes/ip-echo.ts";
import { must, podman } from "./harness.ts";

/**
 * The daemon's image running against the fake Cloudflare API and the fake "what is my IP" service, for the
 * container test and bench/container.ts.
 *
 * Networking (podman 4.3, rootful): the container gets slirp4netns with allow_host_loopback, in which 10.0.2.2 is
 * the host's 127.0.0.1, so the fakes stay on loopback; `-p 127.0.0.1::8080` publishes the daemon's endpoints on a
 * free loopback port of the host.
 */

export const HOST_FROM_CONTAINER = "10.0.2.2";
export const SLIRP_NETWORK = "slirp4netns:allow_host_loopback=true";

export interface Fakes {
  cf: FakeCloudflare;
  echo: IpEcho;
  /** DDNS_PROVIDER_API_URL and DDNS_IP_SOURCE_URLS_V4 as the container must spell them. */
  apiUrl: string;
  ipUrl: string;
  stop(): Promise<void>;
}

export async function startFakes(token: string, v4 = "203.0.113.7"): Promise<Fakes> {
  const echo = createIpEcho({ v4 });
  const cf = await startFakeCloudflare({ token, zones: ["example.com"], extraHandler: (req) => echo.handle(req) });
  const origin = `http://${HOST_FROM_CONTAINER}:${cf.port}`;
  return { cf, echo, apiUrl: `${origin}/client/v4`, ipUrl: `${origin}/v4`, stop: () => cf.stop() };
}

export interface DaemonContainer {
  name: string;
  /** `http://127.0.0.1:PORT`, the published 8080. */
  url: string;
}

/**
 * `podman run -d` of the image with the restrictions (read-only root, no capabilities, no-new-privileges),
 * the token as a podman secret file, and the file state store on the image's volume. The tmpfs on /run/secrets is
 * the quadlet's too: podman 4.3 binds its own /run/secrets read-only under --read-only, so the secret's mount
 * point could not be created there (containers/podman#15541).
 */
export function runDaemonContainer(o: { image: string; name: string; secret: string; fakes: Fakes; records: string; env?: Record<string, string> }): DaemonContainer {
  const env = {
    DDNS_PROVIDER_TYPE: "cloudflare",
    DDNS_PROVIDER_API_URL: o.fakes.apiUrl,
    DDNS_PROVIDER_API_TOKEN_FILE: `/run/secrets/${o.secret}`,
    DDNS_RECORDS: o.records,
    DDNS_IP_VERSIONS: "4",
    DDNS_IP_SOURCE_URLS_V4: o.fakes.ipUrl,
    DDNS_STATE_STORE_TYPE: "file",
    DDNS_STATE_STORE_PATH: "/var/lib/ddns/state.json",
    ...o.env,
  };
  must([
    "podman", "run", "-d", "--name", o.name,
    "--read-only", "--tmpfs", "/run/secrets:size=64k", "--cap-drop", "all", "--security-opt", "no-new-privileges",
    "--network", SLIRP_NETWORK, "-p", "127.0.0.1::8080",
    "--secret", `${o.secret},type=mount,uid=65532,gid=65532,mode=0400`,
    // The quadlet's HealthCmd= (a JSON array of two or more items: podman's exec form, no shell needed).
    "--health-cmd", '["/ddnsd","healthcheck"]',
    ...Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
    o.image,
  ]);
  return { name: o.name, url: `http://${publishedAddress(o.name, "8080/tcp")}` };
}

/** `127.0.0.1:PORT` where podman published the container port. */
export function publishedAddress(name: string, port: string): string {
  const out = must(["podman", "port", name, port]).trim().split("\n")[0] ?? "";
  if (!/^[\d.]+:\d+$/.test(out)) throw new Error(`podman port ${name} ${port} answered ${JSON.stringify(out)}`);
  return out;
}

export function inspect(name: string, format: string): string {
  return must(["podman", "inspect", name, "--format", format]).trim();
}

/** The container's output, without podman's own complaints about a missing systemd (healthcheck timers). */
export function containerLogs(name: string): string[] {
  const r = podman("logs", name);
  return `${r.stdout}${r.stderr}`.split("\n").filter((l) => l !== "" && !l.startsWith("time="));
}

export interface Memory {
  /** VmRSS of the daemon process: resident pages, including the mapped 100 MB executable's touched pages. */
  rssBytes: number;
  /** RssAnon: heap and stacks, the part that counts against a memory limit and cannot be dropped. */
  anonBytes: number;
  /** RssFile: resident pages of mapped files (mostly the executable), shared and reclaimable. */
  fileBytes: number;
}

export function containerMemory(name: string): Memory {
  const pid = inspect(name, "{{.State.Pid}}");
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
  return { rssBytes: kb("VmRSS"), anonBytes: kb("RssAnon"), fileBytes: kb("RssFile") };
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
