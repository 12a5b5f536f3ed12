import { describe, expect, it } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY, requireBinary, ROOT, run } from "./harness.ts";

/** The Containerfile's inputs without podman: its pins and defaults, the build context, the root filesystem script. */

const containerfile = readFileSync(join(ROOT, "Containerfile"), "utf8");
const arg = (name: string) => new RegExp(`^ARG ${name}=(.*)$`, "m").exec(containerfile)?.[1];

describe("the Containerfile and its helpers", () => {
  it("pins the builder's Bun with ARG BUN_VERSION and builds FROM scratch unless BASE_IMAGE says otherwise", () => {
    expect(arg("BUN_VERSION")).toMatch(/^\d+\.\d+\.\d+$/);
    expect(containerfile).toContain("FROM docker.io/oven/bun:${BUN_VERSION}-debian AS builder");
    expect(arg("BASE_IMAGE")).toBe("scratch");
    expect(containerfile).toMatch(/^FROM \$\{BASE_IMAGE\}$/m);
  });

  it("labels a from-source build with package.json's version by default", () => {
    expect(arg("VERSION")).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
  });

  it("keeps the operator's token and environment file, and everything generated, out of the build context", () => {
    const ignored = readFileSync(join(ROOT, ".containerignore"), "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
    for (const path of ["secrets", "ddnsd.env", "node_modules", "dist", ".tmp", ".git"]) expect(ignored).toContain(path);
  });

  it("collects exactly the binary, the shared objects ldd names, and the image's few files", () => {
    requireBinary();
    const out = mkdtempSync(join(tmpdir(), "ddnsd-rootfs-"));
    try {
      const r = run(["sh", "scripts/container-rootfs.sh", BINARY, join(out, "rootfs")]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const files = run(["find", ".", "-type", "f"], { cwd: join(out, "rootfs") }).stdout.trim().split("\n").sort();
      const libs = [...run(["ldd", BINARY]).stdout.matchAll(/(\/\S+)/g)].map((m) => `.${m[1]}`);
      expect(files).toEqual(["./ddnsd", "./etc/group", "./etc/nsswitch.conf", "./etc/passwd", ...libs].sort());
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("refuses to collect without a binary, saying what to do", () => {
    const r = run(["sh", "scripts/container-rootfs.sh", "/nonexistent/ddnsd", join(tmpdir(), "unused-rootfs")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('run "bun run build" first');
  });
});
