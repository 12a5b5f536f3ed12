import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { chmodSync, chownSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildImage, cleanup, freePort, must, podman, requireRootPodman, requireTools, ROOT, RUN_ID, runAsync, waitFor } from "./harness.ts";
import { containerLogs, inspect } from "./fixtures.ts";
import { startFakeCloudflare, type FakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import { createIpEcho } from "../fakes/ip-echo.ts";

/**
 * compose.yaml, unchanged, under podman-compose (Debian's 1.0.3), set up the way its header comment tells users:
 * ddnsd.env next to it, the token in secrets/api_token owned by 65532 with mode 0400.
 *
 * podman-compose 1.0.3 puts every service on the project network even when network_mode is set, so the fakes
 * cannot stay on the host's loopback here: they run as a second service (the compiled tests/deploy/fake-services.ts
 * inside the ddnsd image, which has the libraries it needs), added by a test-only override file, and the daemon
 * reaches them by service name. The test talks to both through ports published on 127.0.0.1.
 */

const PROJECT = `ddnsd-compose-test-${RUN_ID}`;
const SERVICE = `${PROJECT}_ddnsd_1`;
const FAKES = `${PROJECT}_fakes_1`;
const IMAGE = `localhost/ddnsd:compose-test-${RUN_ID}`;
const TOKEN = "compose-test-token-c0ffee42";
const RECORD = "compose.example.com";
const dir = join(ROOT, ".tmp", `compose-test-${RUN_ID}`);
let httpPort = 0;
let fakesPort = 0;

function compose(...args: string[]) {
  return runAsync(["podman-compose", "-p", PROJECT, "-f", "compose.yaml", "-f", "compose.test.yaml", ...args], {
    cwd: dir,
    env: { DDNSD_IMAGE: IMAGE, DDNSD_HTTP_PORT: String(httpPort) },
    timeoutMs: 120_000,
  });
}

beforeAll(async () => {
  requireRootPodman();
  requireTools("podman-compose");
  buildImage(IMAGE);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "secrets"), { recursive: true });
  must(["bun", "build", "--compile", "tests/deploy/fake-services.ts", "--outfile", join(dir, "fake-services")]);
  copyFileSync(join(ROOT, "compose.yaml"), join(dir, "compose.yaml"));
  writeFileSync(
    join(dir, "ddnsd.env"),
    [
      "DDNS_PROVIDER_TYPE=cloudflare",
      `DDNS_RECORDS=${RECORD}`,
      "DDNS_PROVIDER_API_URL=http://fakes:8787/client/v4",
      "DDNS_IP_SOURCE_URLS_V4=http://fakes:8787/v4",
      "DDNS_IP_VERSIONS=4",
      "DDNS_POLL_INTERVAL=2s",
      "",
    ].join("\n"),
  );
  const tokenFile = join(dir, "secrets", "api_token");
  writeFileSync(tokenFile, TOKEN);
  chownSync(tokenFile, 65532, 65532);
  chmodSync(tokenFile, 0o400);
  httpPort = freePort();
  fakesPort = freePort();
  writeFileSync(
    join(dir, "compose.test.yaml"),
    [
      "services:",
      "  fakes:",
      `    image: ${IMAGE}`,
      `    entrypoint: ["/fake-services", "--port", "8787", "--token", "${TOKEN}"]`,
      '    volumes: ["./fake-services:/fake-services:ro"]',
      '    tmpfs: ["/var/lib/ddns"]',
      `    ports: ["127.0.0.1:${fakesPort}:8787"]`,
      '    healthcheck: { test: ["NONE"] }',
      "  ddnsd:",
      "    depends_on: [fakes]",
      "",
    ].join("\n"),
  );
  const up = await compose("up", "-d");
  if (up.code !== 0) throw new Error(`podman-compose up exited ${up.code}\n${up.stderr}${up.stdout}`);
}, 300_000);

afterAll(async () => {
  await compose("down", "-v");
  cleanup("container", SERVICE, FAKES);
  cleanup("volume", `${PROJECT}_ddnsd-state`);
  cleanup("network", `${PROJECT}_default`);
  cleanup("image", IMAGE);
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe("compose.yaml under podman-compose", () => {
  it("runs the service read-only, as 65532, without capabilities or privilege gain, restarting on failure", () => {
    expect(inspect(SERVICE, "{{.HostConfig.ReadonlyRootfs}}")).toBe("true");
    expect(inspect(SERVICE, "{{.Config.User}}")).toBe("65532:65532");
    expect(inspect(SERVICE, "{{json .EffectiveCaps}}")).toMatch(/^(null|\[\])$/);
    expect(inspect(SERVICE, "{{json .HostConfig.SecurityOpt}}")).toContain("no-new-privileges");
    expect(JSON.parse(inspect(SERVICE, "{{json .HostConfig.RestartPolicy}}"))).toEqual({ Name: "on-failure", MaximumRetryCount: 5 });
  });

  it("reads the token from the compose secret file and creates the record at the fake API", async () => {
    const records = await waitFor("the A record at the fake", async () => {
      const r = await fetch(`http://127.0.0.1:${fakesPort}/_control/records?name=${RECORD}&type=A`);
      const list = (await r.json()) as { content: string }[];
      return list.length > 0 ? list : undefined;
    }, 30_000);
    expect(records.map((r) => r.content)).toEqual(["203.0.113.7"]);
    expect(inspect(SERVICE, "{{json .Config.Env}}")).toContain("DDNS_PROVIDER_API_TOKEN_FILE=/run/secrets/ddnsd_api_token");
    expect(inspect(SERVICE, "{{json .Config.Env}}")).not.toContain(TOKEN);
  }, 40_000);

  it("answers /healthz through the published port", async () => {
    const r = await fetch(`http://127.0.0.1:${httpPort}/healthz`);
    expect([r.status, (await r.text()).trim()]).toEqual([200, "ok"]);
  });

  it("is healthy by `podman healthcheck run`: the image's exec-form check (compose.yaml only tunes its timing)", () => {
    expect(JSON.parse(inspect(SERVICE, "{{json .Config.Healthcheck}}"))).toMatchObject({ Test: ["CMD", "/ddnsd", "healthcheck"] });
    expect(podman("healthcheck", "run", SERVICE).code).toBe(0);
  });

  it("keeps the file state on the named volume", async () => {
    const mountpoint = must(["podman", "volume", "inspect", `${PROJECT}_ddnsd-state`, "--format", "{{.Mountpoint}}"]).trim();
    await waitFor("state.json", () => (readFileSync(join(mountpoint, "state.json"), "utf8").includes("203.0.113.7") ? true : undefined));
  });

  it("stops with exit code 0 in under 3 s (podman-compose stop → SIGTERM)", async () => {
    const started = performance.now();
    const r = await compose("stop", "ddnsd");
    const seconds = (performance.now() - started) / 1000;
    console.log(`podman-compose stop took ${seconds.toFixed(2)} s`);
    expect(r.code).toBe(0);
    expect(inspect(SERVICE, "{{.State.ExitCode}}")).toBe("0");
    expect(seconds).toBeLessThan(3);
    const logs = containerLogs(SERVICE);
    expect(logs).toContain("INFO Received shutdown signal: SIGTERM");
    expect(logs.join("\n")).not.toContain(TOKEN);
  }, 20_000);
});

/**
 * The host-network recipe for podman-compose 1.0.3, which cannot do `network_mode: host` (it attaches the project
 * network too: "cannot set multiple networks without bridge network mode"): docs/OPS.md's `podman run` line, taken
 * from the docs as written, run from a directory set up like the compose one. On the host network the daemon
 * reaches fakes on the host's loopback and serves its endpoints there.
 */
const HOSTNET = `ddnsd-hostnet-test-${RUN_ID}`;
const HOSTNET_VOLUME = `ddnsd-hostnet-state-${RUN_ID}`;
const HOSTNET_RECORD = "hostnet.example.com";

/** The command block of docs/OPS.md that starts with `# podman-compose 1.0.3:`, as argv. */
function documentedHostNetworkCommand(): string[] {
  const ops = readFileSync(join(ROOT, "docs", "OPS.md"), "utf8");
  const block = /# podman-compose 1\.0\.3:[^\n]*\n([\s\S]*?)\n\s*```/.exec(ops)?.[1];
  if (!block) throw new Error("docs/OPS.md has no `# podman-compose 1.0.3:` command block");
  return block.replace(/\\\n/g, " ").trim().split(/\s+/);
}

describe("the host-network recipe for podman-compose 1.0.3 (docs/OPS.md)", () => {
  const hostDir = join(ROOT, ".tmp", `compose-hostnet-${RUN_ID}`);
  let cf: FakeCloudflare;
  let port = 0;

  beforeAll(async () => {
    const echo = createIpEcho({ v4: "203.0.113.9" });
    cf = await startFakeCloudflare({ token: TOKEN, zones: ["example.com"], extraHandler: (req) => echo.handle(req) });
    port = freePort();
    rmSync(hostDir, { recursive: true, force: true });
    mkdirSync(join(hostDir, "secrets"), { recursive: true });
    writeFileSync(join(hostDir, "ddnsd.env"), [`DDNS_PROVIDER_TYPE=cloudflare`, `DDNS_RECORDS=${HOSTNET_RECORD}`, `DDNS_PROVIDER_API_URL=${cf.url}`, `DDNS_IP_SOURCE_URLS_V4=${cf.origin}/v4`, "DDNS_IP_VERSIONS=4", ""].join("\n"));
    const tokenFile = join(hostDir, "secrets", "api_token");
    writeFileSync(tokenFile, TOKEN);
    chownSync(tokenFile, 65532, 65532);
    chmodSync(tokenFile, 0o400);
  });

  afterAll(async () => {
    cleanup("container", HOSTNET);
    cleanup("volume", HOSTNET_VOLUME);
    await cf.stop();
    rmSync(hostDir, { recursive: true, force: true });
  }, 60_000);

  it("runs on the host network: creates the record through the host's loopback and answers /healthz there", async () => {
    const argv = documentedHostNetworkCommand().map((arg) =>
      arg === "ddnsd" ? HOSTNET
      : arg === "localhost/ddnsd:latest" ? IMAGE
      : arg.replace("DDNS_HTTP_ADDR=127.0.0.1:8080", `DDNS_HTTP_ADDR=127.0.0.1:${port}`).replace(/^ddnsd-state:/, `${HOSTNET_VOLUME}:`),
    );
    expect(argv.slice(0, 3)).toEqual(["podman", "run", "-d"]);
    expect(argv).toContain("host");
    const started = await runAsync(argv, { cwd: hostDir });
    expect(started.code, started.stderr).toBe(0);
    await waitFor("the A record at the fake", () => (cf.contents(HOSTNET_RECORD, "A").length > 0 ? true : undefined), 30_000);
    expect(cf.contents(HOSTNET_RECORD, "A")).toEqual(["203.0.113.9"]);
    expect(inspect(HOSTNET, "{{.HostConfig.NetworkMode}}")).toBe("host");
    expect(inspect(HOSTNET, "{{.HostConfig.ReadonlyRootfs}}")).toBe("true");
    const r = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect([r.status, (await r.text()).trim()]).toEqual([200, "ok"]);
    expect(containerLogs(HOSTNET).join("\n")).not.toContain(TOKEN);
  }, 60_000);
});
