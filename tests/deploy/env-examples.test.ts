import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./harness.ts";
import { checkEnvironment, parseEnvFile } from "./env-check.ts";
import { unitValues } from "./systemd-root.ts";

/**
 * The example configurations the deployment files ship are accepted by `ddnsd check` exactly as a deployment
 * would assemble them (environment file + the variables the unit, quadlet or compose file sets), with no warning
 * about an unknown variable.
 */

const read = (...path: string[]) => readFileSync(join(ROOT, ...path), "utf8");

function environmentLines(values: string[]): Record<string, string> {
  return Object.fromEntries(values.map((v) => [v.slice(0, v.indexOf("=")), v.slice(v.indexOf("=") + 1)]));
}

const compose = Bun.YAML.parse(read("compose.yaml")) as { services: { ddnsd: { environment: Record<string, string>; env_file: string } } };

describe("the example environments", () => {
  it.each([
    {
      name: "systemd: /etc/default/ddnsd + the unit's Environment=",
      env: { ...parseEnvFile(read("deploy", "systemd", "ddnsd.env.example")), ...environmentLines(unitValues(read("deploy", "systemd", "ddnsd.service"), "Service", "Environment")) },
    },
    {
      name: "quadlet: /etc/ddnsd/ddnsd.env + the container's Environment=",
      env: { ...parseEnvFile(read("deploy", "ddnsd.env.example")), ...environmentLines(unitValues(read("deploy", "quadlet", "ddnsd.container"), "Container", "Environment")) },
    },
    {
      name: "compose: ddnsd.env + the service's environment:",
      env: { ...parseEnvFile(read("deploy", "ddnsd.env.example")), ...compose.services.ddnsd.environment },
    },
  ])("$name is a valid configuration without warnings", ({ env }) => {
    expect(env.DDNS_PROVIDER_API_TOKEN_FILE).toBeDefined();
    expect(env.DDNS_PROVIDER_API_TOKEN).toBeUndefined();
    const r = checkEnvironment(env);
    expect(r.lines.filter((l) => l.startsWith("warning:") || l.startsWith("Configuration error"))).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.lines.at(-1)).toBe("Configuration is valid: 2 record(s), provider cloudflare");
    expect(r.lines).toContain("DDNS_STATE_STORE_PATH=/var/lib/ddns/state.json");
  });

  it("the compose file reads ddnsd.env, the name its header tells users to copy the example to", () => {
    expect(compose.services.ddnsd.env_file).toBe("ddnsd.env");
    expect(read("compose.yaml")).toContain("cp deploy/ddnsd.env.example ddnsd.env");
  });
});
