import { describe, expect, it } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ROOT, run } from "./harness.ts";
import { systemdRoot, unitValues, verify } from "./systemd-root.ts";

/** deploy/systemd/ddnsd.service under systemd 252's own checks (no running systemd needed: --root, --offline). */

const UNIT = readFileSync(join(ROOT, "deploy", "systemd", "ddnsd.service"), "utf8");

function withRoot<T>(unit: string, body: (root: string) => T): T {
  const root = systemdRoot({ "ddnsd.service": unit }, ["/usr/local/bin/ddnsd"]);
  try {
    return body(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe("the systemd unit (deploy/systemd/ddnsd.service)", () => {
  it("passes `systemd-analyze verify` without a single warning", () => {
    const r = withRoot(UNIT, (root) => verify(root, "ddnsd.service"));
    expect(`${r.stdout}${r.stderr}`).toBe("");
    expect(r.code).toBe(0);
  });

  it.each([
    { name: "a bad value", from: "\nProtectSystem=strict\n", to: "\nProtectSystem=very\n", finding: "Failed to parse protect system value" },
    { name: "an unknown key", from: "\nUMask=0077\n", to: "\nUMask=0077\nRestartPrevent=1\n", finding: "Unknown key 'RestartPrevent'" },
  ])("makes verify speak up about $name (so its silence above means something)", ({ from, to, finding }) => {
    const r = withRoot(UNIT.replace(from, to), (root) => verify(root, "ddnsd.service"));
    expect(`${r.stdout}${r.stderr}`).toContain(finding);
  });

  it("rates at most 4.0 (OK) in `systemd-analyze security`", () => {
    const r = withRoot(UNIT, (root) => run(["systemd-analyze", "security", "--offline=true", `--root=${root}`, "--threshold=40", "ddnsd.service"]));
    const overall = /Overall exposure level for ddnsd\.service: ([\d.]+)/.exec(r.stdout);
    console.log(`systemd-analyze security: exposure ${overall?.[1]} (10 = fully exposed)`);
    expect(r.code).toBe(0);
    expect(Number(overall?.[1])).toBeLessThanOrEqual(4);
  });

  it("restarts runtime errors (exit 2) but never a configuration error (exit 1), and outwaits the 30 s shutdown", () => {
    const service = (key: string) => unitValues(UNIT, "Service", key);
    expect(service("Restart")).toEqual(["on-failure"]);
    expect(service("RestartPreventExitStatus")).toEqual(["1"]);
    expect(service("RestartSec")).toEqual(["5s"]);
    expect(service("KillSignal")).toEqual(["SIGTERM"]);
    expect(service("TimeoutStopSec")).toEqual(["90s"]);
    expect(service("ExecStart")).toEqual(["/usr/local/bin/ddnsd run"]);
  });

  it("keeps the guide's hardening and user, with the state directory writable and the token as a credential", () => {
    const service = (key: string) => unitValues(UNIT, "Service", key);
    for (const [key, value] of [
      ["Type", "exec"], ["User", "ddns"], ["Group", "ddns"], ["EnvironmentFile", "/etc/default/ddnsd"],
      ["NoNewPrivileges", "true"], ["PrivateTmp", "true"], ["ProtectSystem", "strict"], ["ProtectHome", "true"],
      ["StateDirectory", "ddns"], ["LoadCredential", "api-token:/etc/ddnsd/api-token"], ["SyslogIdentifier", "ddnsd"],
    ] as const) {
      expect(service(key)).toEqual([value]);
    }
    expect(service("Environment")).toEqual([
      "DDNS_PROVIDER_API_TOKEN_FILE=%d/api-token",
      "DDNS_STATE_STORE_TYPE=file",
      "DDNS_STATE_STORE_PATH=/var/lib/ddns/state.json",
    ]);
    expect(unitValues(UNIT, "Service", "MemoryDenyWriteExecute")).toEqual([]);
  });
});
