import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { quadletPath, ROOT, run } from "./harness.ts";
import { systemdRoot, unitValues, verify } from "./systemd-root.ts";

/**
 * deploy/quadlet/ through the real quadlet generator (podman 5.4's, from Debian trixie: Debian 12's podman 4.3 has
 * none), then the generated units through `systemd-analyze verify`.
 */

const SOURCE = join(ROOT, "deploy", "quadlet");
let work: string;
let generated: string;

/** Runs the generator as systemd would (QUADLET_UNIT_DIRS = the source folder) into a fresh output folder. */
function generate(units: string, out: string) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  return run([quadletPath(), "-no-kmsg-log", out], { env: { QUADLET_UNIT_DIRS: units } });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "ddnsd-quadlet-"));
  generated = join(work, "out");
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the Podman quadlet (deploy/quadlet)", () => {
  it("is accepted by the quadlet generator, which writes ddnsd.service and the volume's service", () => {
    const r = generate(SOURCE, generated);
    expect(r.stderr.split("\n").filter((l) => /error|unsupported|converting/i.test(l))).toEqual([]);
    expect(r.code).toBe(0);
    expect(existsSync(join(generated, "ddnsd.service"))).toBe(true);
    expect(existsSync(join(generated, "ddnsd-state-volume.service"))).toBe(true);
  });

  it("turns into `podman run` with the hardening, the secret, the volume, the exec-form health check and the stop budget", () => {
    const unit = readFileSync(join(generated, "ddnsd.service"), "utf8");
    const [execStart] = unitValues(unit, "Service", "ExecStart");
    expect(execStart).toStartWith("/usr/bin/podman run --name ddnsd ");
    for (const flag of [
      "--read-only",
      "--cap-drop all",
      "--security-opt=no-new-privileges",
      "--user 65532:65532",
      "--secret ddnsd-api-token,type=mount,uid=65532,gid=65532,mode=0400",
      "--env DDNS_PROVIDER_API_TOKEN_FILE=/run/secrets/ddnsd-api-token",
      "--tmpfs /run/secrets:size=64k,mode=0755",
      "-v ddnsd-state:/var/lib/ddns",
      "--publish 127.0.0.1:8080:8080",
      '--health-cmd "[\\"/ddnsd\\",\\"healthcheck\\"]"',
      "--stop-timeout 40",
      "--env-file /etc/ddnsd/ddnsd.env",
    ]) {
      expect(execStart).toContain(` ${flag} `);
    }
    expect(execStart).toEndWith(" localhost/ddnsd:latest");
    expect(unitValues(unit, "Service", "Restart")).toEqual(["on-failure"]);
    expect(unitValues(unit, "Service", "RestartPreventExitStatus")).toEqual(["1"]);
    expect(unitValues(unit, "Service", "TimeoutStopSec")).toEqual(["90s"]);
    expect(unitValues(unit, "Unit", "Requires")).toContain("ddnsd-state-volume.service");
  });

  it("reports an unknown key, so the acceptance above means something", () => {
    const broken = join(work, "broken");
    mkdirSync(broken, { recursive: true });
    cpSync(SOURCE, broken, { recursive: true });
    const file = join(broken, "ddnsd.container");
    writeFileSync(file, readFileSync(file, "utf8").replace("ReadOnly=true", "ReadOnly=true\nReadOnlyRootfs=true"));
    const r = generate(broken, join(work, "broken-out"));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unsupported key 'ReadOnlyRootfs' in group 'Container'");
  });

  it("generates units that `systemd-analyze verify` (systemd 252) accepts without a warning", () => {
    const units = Object.fromEntries(
      ["ddnsd.service", "ddnsd-state-volume.service"].map((name) => [name, readFileSync(join(generated, name), "utf8")]),
    );
    const root = systemdRoot(units, ["/usr/bin/podman"]);
    try {
      const r = verify(root, "ddnsd.service");
      expect(`${r.stdout}${r.stderr}`).toBe("");
      expect(r.code).toBe(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
