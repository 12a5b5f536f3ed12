import { chmodSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { tmpdir } from "node:os";
import { requireTools, run, type RunResult } from "./harness.ts";

/**
 * A scratch root for `systemd-analyze verify --root`: the host's own unit files (targets, sockets the units refer
 * to), the units under test in /etc/systemd/system, and stub executables at the paths their ExecStart= names, so
 * that verify checks the units without installing anything on this machine and without a running systemd.
 */
export function systemdRoot(units: Record<string, string>, executables: string[]): string {
  requireTools("systemd-analyze");
  const root = mkdtempSync(join(tmpdir(), "ddnsd-systemd-root-"));
  mkdirSync(join(root, "usr/lib/systemd"), { recursive: true });
  cpSync("/lib/systemd/system", join(root, "usr/lib/systemd/system"), { recursive: true, dereference: false });
  mkdirSync(join(root, "etc/systemd/system"), { recursive: true });
  for (const [name, text] of Object.entries(units)) writeFileSync(join(root, "etc/systemd/system", name), text);
  for (const exe of executables) {
    mkdirSync(join(root, dirname(exe)), { recursive: true });
    writeFileSync(join(root, exe), "#!/bin/sh\nexit 0\n");
    chmodSync(join(root, exe), 0o755);
  }
  return root;
}

/** `systemd-analyze verify`: any output at all is a finding (it warns about bad lines and still exits 0). */
export function verify(root: string, unit: string): RunResult {
  return run(["systemd-analyze", "verify", "--man=no", `--root=${root}`, unit]);
}

/** The values of `key` in `section` of a unit file, in order. */
export function unitValues(text: string, section: string, key: string): string[] {
  const values: string[] = [];
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("[")) current = line.slice(1, -1);
    else if (current === section && line.startsWith(`${key}=`)) values.push(line.slice(key.length + 1));
  }
  return values;
}
