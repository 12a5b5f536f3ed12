import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildImage, cleanup, must, podman, requireRootPodman, ROOT, RUN_ID, runAsync, waitFor } from "./harness.ts";
import { containerLogs, containerMemory, inspect, mib, runDaemonContainer, SLIRP_NETWORK, startFakes, type DaemonContainer, type Fakes } from "./fixtures.ts";

/**
 * The Containerfile's image, built offline from dist/ddnsd (scripts/container-build.sh), run the way the issue
 * and docs/OPS.md say: read-only root, no capabilities, no-new-privileges, non-root, token as a secret file.
 */

const IMAGE = `localhost/ddnsd:deploy-test-${RUN_ID}`;
const NAME = `ddnsd-deploy-test-${RUN_ID}`;
const SECRET = `ddnsd-deploy-test-token-${RUN_ID}`;
const TOKEN = "container-test-token-5d1e9a";
const RECORD = "home.example.com";

let fakes: Fakes;
let daemon: DaemonContainer;

beforeAll(async () => {
  requireRootPodman();
  buildImage(IMAGE);
  fakes = await startFakes(TOKEN);
  // From a file: podman 4.3 takes `-` only from a pipe (a FIFO), which Bun's stdin buffers are not.
  const tokenFile = join(ROOT, ".tmp", `token-${RUN_ID}`);
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  writeFileSync(tokenFile, TOKEN, { mode: 0o600 });
  try {
    must(["podman", "secret", "create", SECRET, tokenFile]);
  } finally {
    rmSync(tokenFile, { force: true });
  }
}, 300_000);

afterAll(async () => {
  cleanup("container", NAME);
  cleanup("secret", SECRET);
  cleanup("image", IMAGE);
  await fakes?.stop();
});

describe("the container image (Containerfile, runtime stage built from the local binary)", () => {
  it("declares the runtime contract: user 65532, entrypoint, exec-form healthcheck, SIGTERM, port, volume, labels", () => {
    const config = JSON.parse(inspect(IMAGE, "{{json .Config}}")) as Record<string, unknown>;
    expect(config.User).toBe("65532:65532");
    expect(config.Entrypoint).toEqual(["/ddnsd"]);
    expect(config.StopSignal).toBe("SIGTERM");
    expect(config.Env).toContain("DDNS_HTTP_ADDR=0.0.0.0:8080");
    expect(config.Env).toContain("BUN_JSC_useBaselineJIT=0");
    expect(Object.keys(config.ExposedPorts as object)).toEqual(["8080/tcp"]);
    expect(Object.keys(config.Volumes as object)).toEqual(["/var/lib/ddns"]);
    const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
    expect(config.Labels).toMatchObject({
      "org.opencontainers.image.version": version,
      "org.opencontainers.image.licenses": "MIT",
      "org.opencontainers.image.source": "https://github.com/ddnsd/ddnsd",
    });
    expect(JSON.parse(inspect(IMAGE, "{{json .HealthCheck}}"))).toMatchObject({ Test: ["CMD", "/ddnsd", "healthcheck"] });
  });

  it("holds only the binary, its glibc libraries, passwd/group/nsswitch, /tmp and the state directory (owned by 65532)", () => {
    const root = must(["podman", "image", "mount", IMAGE]).trim();
    try {
      const files = must(["find", ".", "-mindepth", "1", "-printf", "%p %U:%G %m\\n"], { cwd: root }).trim().split("\n").sort();
      expect(files).toEqual([
        "./ddnsd 0:0 755",
        "./etc 0:0 755",
        "./etc/group 0:0 644",
        "./etc/nsswitch.conf 0:0 644",
        "./etc/passwd 0:0 644",
        "./lib 0:0 755",
        "./lib/x86_64-linux-gnu 0:0 755",
        "./lib/x86_64-linux-gnu/libc.so.6 0:0 755",
        "./lib/x86_64-linux-gnu/libdl.so.2 0:0 644",
        "./lib/x86_64-linux-gnu/libm.so.6 0:0 644",
        "./lib/x86_64-linux-gnu/libpthread.so.0 0:0 644",
        "./lib64 0:0 755",
        "./lib64/ld-linux-x86-64.so.2 0:0 755",
        "./run 0:0 755",
        "./tmp 0:0 1777",
        "./var 0:0 755",
        "./var/lib 0:0 755",
        "./var/lib/ddns 65532:65532 755",
      ]);
      expect(readFileSync(join(root, "etc/passwd"), "utf8")).toContain("nonroot:x:65532:65532:");
    } finally {
      podman("image", "unmount", IMAGE);
    }
  });

  it("reports its size: uncompressed, and as an OCI archive (compressed layers, about what a registry stores)", () => {
    const uncompressed = Number(inspect(IMAGE, "{{.Size}}"));
    mkdirSync(join(ROOT, ".tmp"), { recursive: true });
    const archive = join(ROOT, ".tmp", `ddnsd-image-${RUN_ID}.oci.tar`);
    rmSync(archive, { force: true });
    try {
      must(["podman", "save", "--format", "oci-archive", "-o", archive, IMAGE]);
      const ociBytes = statSync(archive).size;
      console.log(`image ${IMAGE}: ${mib(uncompressed)} uncompressed, ${mib(ociBytes)} as an OCI archive`);
      // The binary alone is ~105 MiB; anything much larger means something besides it got into the image.
      expect(uncompressed).toBeLessThan(140 * 1024 * 1024);
      expect(ociBytes).toBeLessThan(uncompressed);
    } finally {
      rmSync(archive, { force: true });
    }
  }, 60_000);
});

describe("the container, read-only, no capabilities, no-new-privileges, against the fake Cloudflare API", () => {
  it("a configuration error ends the container at once with exit 1 and one line naming the variable", () => {
    const r = podman("run", "--rm", "--read-only", "--cap-drop", "all", "--no-healthcheck", "-e", "DDNS_PROVIDER_TYPE=cloudflare", "-e", `DDNS_RECORDS=${RECORD}`, IMAGE);
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("time="))).toEqual(["Configuration error: DDNS_PROVIDER_API_TOKEN is required."]);
  }, 30_000);

  it("`ddnsd once` with no writable path at all (not even podman's tmpfs) confirms the record and exits 0", async () => {
    const r = await runAsync([
      "podman", "run", "--rm", "--read-only", "--read-only-tmpfs=false", "--cap-drop", "all", "--security-opt", "no-new-privileges",
      "--no-healthcheck", "--network", SLIRP_NETWORK,
      "-e", "DDNS_PROVIDER_TYPE=cloudflare", "-e", `DDNS_PROVIDER_API_URL=${fakes.apiUrl}`, "-e", `DDNS_PROVIDER_API_TOKEN=${TOKEN}`,
      "-e", `DDNS_RECORDS=once.example.com`, "-e", "DDNS_IP_VERSIONS=4", "-e", `DDNS_IP_SOURCE_URLS_V4=${fakes.ipUrl}`,
      IMAGE, "once",
    ]);
    expect(`${r.stderr}${r.stdout}`).not.toContain(TOKEN);
    expect(r.code).toBe(0);
    expect(fakes.cf.contents("once.example.com", "A")).toEqual(["203.0.113.7"]);
  }, 30_000);

  it("starts, detects the address through the fake echo service and creates the A record", async () => {
    daemon = runDaemonContainer({ image: IMAGE, name: NAME, secret: SECRET, fakes, records: RECORD, env: { DDNS_POLL_INTERVAL: "2s" } });
    await waitFor("the A record at the fake", () => (fakes.cf.contents(RECORD, "A").length > 0 ? true : undefined), 20_000);
    expect(fakes.cf.contents(RECORD, "A")).toEqual(["203.0.113.7"]);
    const logs = containerLogs(NAME).join("\n");
    for (const line of ["Starting ddnsd daemon", "Configuration loaded: 1 record(s)", `Managing record: ${RECORD}`, "Ready to monitor IP changes"]) {
      expect(logs).toContain(line);
    }
    expect(inspect(NAME, "{{.HostConfig.ReadonlyRootfs}}")).toBe("true");
  }, 30_000);

  it("answers /healthz, /readyz, /metrics and /status through the published port", async () => {
    const healthz = await fetch(`${daemon.url}/healthz`);
    expect([healthz.status, (await healthz.text()).trim()]).toEqual([200, "ok"]);
    const readyz = await waitFor("/readyz 200", async () => ((await fetch(`${daemon.url}/readyz`)).status === 200 ? true : undefined));
    expect(readyz).toBe(true);
    expect(await (await fetch(`${daemon.url}/metrics`)).text()).toContain("ddns_build_info{");
    expect(JSON.stringify(await (await fetch(`${daemon.url}/status`)).json())).toContain("203.0.113.7");
  }, 20_000);

  it("is healthy by `podman healthcheck run` with the quadlet's exec-form --health-cmd (the image has no shell)", () => {
    expect(JSON.parse(inspect(NAME, "{{json .Config.Healthcheck}}"))).toMatchObject({ Test: ["CMD", "/ddnsd", "healthcheck"] });
    const r = podman("healthcheck", "run", NAME);
    expect(r.code).toBe(0);
  });

  it("follows an address change and keeps the file state on the image's volume, written as user 65532", async () => {
    fakes.echo.set({ v4: "203.0.113.8" });
    await waitFor("the updated A record", () => (fakes.cf.contents(RECORD, "A")[0] === "203.0.113.8" ? true : undefined), 20_000);
    const source = inspect(NAME, '{{range .Mounts}}{{if eq .Destination "/var/lib/ddns"}}{{.Source}}{{end}}{{end}}');
    const state = join(source, "state.json");
    await waitFor("state.json with the new address", () => (readFileSync(state, "utf8").includes("203.0.113.8") ? true : undefined));
    expect(statSync(state).uid).toBe(65532);
  }, 30_000);

  it("reports its memory (RSS) while running", () => {
    const m = containerMemory(NAME);
    console.log(`container ${NAME}: RSS ${mib(m.rssBytes)} (anonymous ${mib(m.anonBytes)}, file-backed ${mib(m.fileBytes)}); bench/container.ts measures after a minute`);
    expect(m.anonBytes).toBeLessThan(64 * 1024 * 1024);
  });

  it("stops on `podman stop` (SIGTERM) with exit code 0 in under 3 s, logging the guide's shutdown lines", () => {
    const started = performance.now();
    must(["podman", "stop", "-t", "10", NAME]);
    const seconds = (performance.now() - started) / 1000;
    console.log(`podman stop took ${seconds.toFixed(2)} s`);
    expect(inspect(NAME, "{{.State.ExitCode}}")).toBe("0");
    expect(seconds).toBeLessThan(3);
    const logs = containerLogs(NAME);
    expect(logs).toContain("INFO Received shutdown signal: SIGTERM");
    expect(logs).toContain("INFO Shutting down daemon");
    expect(logs.join("\n")).not.toContain(TOKEN);
  }, 20_000);
});
