import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { readElfHeader } from "../../scripts/release/targets.ts";
import { cleanup, must, podman, requireRootPodman, RUN_ID, run, runAsync } from "../deploy/harness.ts";
import { startWorld, type TestWorld } from "../blackbox/world.ts";
import { emulated, ensureRelease, releaseBinary, ROOT, target, VERSION, whyNoEmulator } from "./fixtures.ts";
import { startRegistry } from "./registry.ts";

/**
 * The multi-arch image from scripts/release-image.sh: one image per architecture built from the release executables
 * and Debian's glibc for that architecture, and the manifest list naming both. The arm64 image cannot run here
 * (no binfmt_misc), so its files are read through `podman image mount` — and run under qemu-user from there.
 */

const IMAGE = `localhost/ddnsd:release-test-${RUN_ID}`;
const ARCHES = [
  { arch: "amd64", release: "x64", machine: 62, loader: "./lib64/ld-linux-x86-64.so.2", libdir: "./lib/x86_64-linux-gnu", loaderDir: "./lib64" },
  { arch: "arm64", release: "arm64", machine: 183, loader: "./lib/ld-linux-aarch64.so.1", libdir: "./lib/aarch64-linux-gnu", loaderDir: undefined },
] as const;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const inspect = (ref: string, format: string) => must(["podman", "image", "inspect", ref, "--format", format]).trim();

/** Runs `body` with the image's root filesystem mounted read-only at the path it is given. */
async function mounted<T>(ref: string, body: (root: string) => T | Promise<T>): Promise<T> {
  const root = must(["podman", "image", "mount", ref]).trim();
  try {
    return await body(root);
  } finally {
    podman("image", "unmount", ref);
  }
}

let w: TestWorld;
beforeAll(async () => {
  requireRootPodman();
  ensureRelease();
  const r = run(["bash", "scripts/release-image.sh", IMAGE], { timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`scripts/release-image.sh exited ${r.code}\n${r.stderr}${r.stdout}`);
  w = await startWorld();
}, 300_000);

afterAll(async () => {
  podman("manifest", "rm", IMAGE);
  cleanup("image", ...ARCHES.map((a) => `${IMAGE}-${a.arch}`));
  await w?.stop();
});

describe("the multi-arch image (scripts/release-image.sh)", () => {
  it("is a Docker manifest list with one image per platform, linux/amd64 and linux/arm64", () => {
    const list = JSON.parse(must(["podman", "manifest", "inspect", IMAGE])) as {
      mediaType: string;
      manifests: { digest: string; mediaType: string; platform: { os: string; architecture: string } }[];
    };
    expect(list.mediaType).toBe("application/vnd.docker.distribution.manifest.list.v2+json");
    expect(list.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`)).toEqual(["linux/amd64", "linux/arm64"]);
    for (const m of list.manifests) {
      expect(m.mediaType).toBe("application/vnd.docker.distribution.manifest.v2+json");
      expect(m.digest).toBe(inspect(`${IMAGE}-${m.platform.architecture}`, "{{.Digest}}"));
    }
  });

  it.each(ARCHES)("$arch: declares the platform and the same runtime contract as the single-arch image (user 65532, health check, …)", ({ arch }) => {
    const ref = `${IMAGE}-${arch}`;
    expect(inspect(ref, "{{.Os}}/{{.Architecture}}")).toBe(`linux/${arch}`);
    const config = JSON.parse(inspect(ref, "{{json .Config}}")) as Record<string, unknown>;
    expect(config.User).toBe("65532:65532");
    expect(config.Entrypoint).toEqual(["/ddnsd"]);
    expect(config.StopSignal).toBe("SIGTERM");
    expect(config.Env).toContain("DDNS_HTTP_ADDR=0.0.0.0:8080");
    expect(Object.keys(config.ExposedPorts as object)).toEqual(["8080/tcp"]);
    expect(Object.keys(config.Volumes as object)).toEqual(["/var/lib/ddns"]);
    expect(config.Labels).toMatchObject({ "org.opencontainers.image.version": VERSION });
    expect(JSON.parse(inspect(ref, "{{json .HealthCheck}}"))).toMatchObject({ Test: ["CMD", "/ddnsd", "healthcheck"] });
  });

  it.each(ARCHES)("$arch: holds the release executable, that architecture's glibc loader and libraries, passwd/group/nsswitch, /tmp, /run and the state directory", async ({ arch, release, machine, loader, libdir, loaderDir }) => {
    await mounted(`${IMAGE}-${arch}`, async (root) => {
      const files = must(["find", ".", "-mindepth", "1", "-printf", "%p %U:%G %m\\n"], { cwd: root }).trim().split("\n").sort();
      const dirs = ["./lib 0:0 755", `${libdir} 0:0 755`, ...(loaderDir ? [`${loaderDir} 0:0 755`] : [])];
      expect(files).toEqual([
        "./ddnsd 0:0 755", "./etc 0:0 755", "./etc/group 0:0 644", "./etc/nsswitch.conf 0:0 644", "./etc/passwd 0:0 644",
        ...dirs,
        `${libdir}/libc.so.6 0:0 755`, `${libdir}/libdl.so.2 0:0 644`, `${libdir}/libm.so.6 0:0 644`, `${libdir}/libpthread.so.0 0:0 644`,
        `${loader} 0:0 755`,
        "./run 0:0 755", "./tmp 0:0 1777", "./var 0:0 755", "./var/lib 0:0 755", "./var/lib/ddns 65532:65532 755",
      ].sort());
      expect(readElfHeader(join(root, "ddnsd"))?.machine).toBe(machine);
      expect(readElfHeader(join(root, loader))?.machine).toBe(machine);
      const [inImage, released] = [await Bun.file(join(root, "ddnsd")).bytes(), await Bun.file(releaseBinary(release)).bytes()];
      expect(Buffer.compare(inImage, released)).toBe(0);
      expect(readFileSync(join(root, "etc/passwd"), "utf8")).toContain("nonroot:x:65532:65532:");
    });
  });

  const noQemu = whyNoEmulator(target("arm64"));
  it.skipIf(noQemu !== undefined)(`arm64: the image's own files run \`ddnsd once\` under qemu-aarch64-static (Cortex-A53) against the fake API${noQemu ? ` — skipped: ${noQemu}` : ""}`, async () => {
    await mounted(`${IMAGE}-arm64`, async (root) => {
      const cmd = [...emulated(target("arm64"), join(root, "ddnsd"), { cpu: "cortex-a53", root }), "once"];
      const r = await runAsync(cmd, { env: w.env({ DDNS_RECORDS: "image-arm64.example.com", DDNS_IP_VERSIONS: "4" }) as Record<string, string> });
      expect(r.code, `${r.stdout}${r.stderr}`).toBe(0);
      expect(w.cf.contents("image-arm64.example.com", "A")).toEqual(["203.0.113.7"]);
    });
  }, 60_000);

  it("amd64: is what the list's name runs on this machine, and runs read-only, without capabilities", () => {
    const created = must(["podman", "create", "--no-healthcheck", IMAGE, "--version"]).trim();
    try {
      expect(must(["podman", "inspect", created, "--format", "{{.Image}}"]).trim()).toBe(inspect(`${IMAGE}-amd64`, "{{.Id}}"));
    } finally {
      podman("rm", "-f", created);
    }
    const r = podman(
      "run", "--rm", "--read-only", "--cap-drop", "all", "--security-opt", "no-new-privileges", "--no-healthcheck",
      "-e", "DDNS_PROVIDER_TYPE=cloudflare", "-e", "DDNS_PROVIDER_API_TOKEN=image-run-token-1", "-e", "DDNS_RECORDS=home.example.com",
      "--entrypoint", "/ddnsd", IMAGE, "check",
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Configuration is valid: 1 record(s), provider cloudflare");
  }, 60_000);

  it.each(ARCHES)("$arch: size, uncompressed and as an OCI archive (compressed layers, about what a registry stores)", ({ arch }) => {
    const ref = `${IMAGE}-${arch}`;
    const uncompressed = Number(inspect(ref, "{{.Size}}"));
    const archive = join(ROOT, ".tmp", `release-image-${arch}-${RUN_ID}.oci.tar`);
    mkdirSync(join(ROOT, ".tmp"), { recursive: true });
    try {
      must(["podman", "save", "--format", "oci-archive", "-o", archive, ref]);
      const compressed = statSync(archive).size;
      console.log(`image ${arch}: ${mib(uncompressed)} uncompressed, ${mib(compressed)} as an OCI archive`);
      expect(uncompressed).toBeLessThan(140 * 1024 * 1024);
      expect(compressed).toBeLessThan(uncompressed);
    } finally {
      rmSync(archive, { force: true });
    }
  }, 60_000);

  it("pushes to a registry as docs/release.md says (manifest push --all --format v2s2), and linux/arm64 pulls the arm64 image with its health check", async () => {
    const registry = await startRegistry();
    const remote = `${registry.address}/ddnsd:${VERSION}`;
    const pulled = `${remote}-pulled-${RUN_ID}`;
    try {
      const push = await runAsync(["podman", "manifest", "push", "--all", "--format", "v2s2", "--tls-verify=false", IMAGE, `docker://${remote}`]);
      expect(push.code, push.stderr).toBe(0);
      const list = (await (await registry.get(`/v2/ddnsd/manifests/${VERSION}`, "application/vnd.docker.distribution.manifest.list.v2+json")).json()) as {
        mediaType: string;
        manifests: { digest: string; platform: { architecture: string } }[];
      };
      expect(list.mediaType).toBe("application/vnd.docker.distribution.manifest.list.v2+json");
      expect(list.manifests.map((m) => m.platform.architecture)).toEqual(["amd64", "arm64"]);
      for (const entry of list.manifests) {
        const manifest = (await (await registry.get(`/v2/ddnsd/manifests/${entry.digest}`, "application/vnd.docker.distribution.manifest.v2+json")).json()) as {
          config: { digest: string };
          layers: { size: number }[];
        };
        console.log(`registry ${entry.platform.architecture}: ${mib(manifest.layers.reduce((sum, l) => sum + l.size, 0))} to download (compressed layers)`);
        const config = (await (await registry.get(`/v2/ddnsd/blobs/${manifest.config.digest}`)).json()) as { architecture: string; config: { Healthcheck?: { Test: string[] }; User: string } };
        expect([config.architecture, config.config.User]).toEqual([entry.platform.architecture, "65532:65532"]);
        expect(config.config.Healthcheck?.Test).toEqual(["CMD", "/ddnsd", "healthcheck"]);
      }
      // What a Raspberry Pi's podman or docker does: pick its platform from the list.
      const pull = await runAsync(["podman", "pull", "--platform", "linux/arm64", "--tls-verify=false", `docker://${remote}`]);
      expect(pull.code, pull.stderr).toBe(0);
      must(["podman", "tag", remote, pulled]);
      podman("rmi", remote);
      expect(inspect(pulled, "{{.Architecture}}")).toBe("arm64");
      expect(inspect(pulled, "{{.Id}}")).toBe(inspect(`${IMAGE}-arm64`, "{{.Id}}"));
    } finally {
      cleanup("image", pulled, remote);
      await registry.stop();
    }
  }, 120_000);
});
