import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The alert rules docs/http.md gives, run by the real `promtool test rules` against series as ddnsd exports them:
 * the detection alert fires for a family that counts and stays quiet for a default family that was never detected
 * (a host without IPv6), and the rate-limit alert sees the first 429 because its counter starts at 0.
 */
const PROMTOOL = Bun.which("promtool");
const dir = mkdtempSync(join(tmpdir(), "ddnsd-rules-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function documentedRules(): string {
  const doc = readFileSync(join(import.meta.dir, "..", "..", "docs", "http.md"), "utf8");
  const section = doc.slice(doc.indexOf("### Alert rules"));
  const block = /```yaml\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error("docs/http.md has no YAML block under 'Alert rules'");
  return block[1]!;
}

function promtoolTest(tests: string): { code: number; output: string } {
  if (!PROMTOOL) throw new Error("promtool is not installed (Debian: apt-get install prometheus)");
  writeFileSync(join(dir, "rules.yaml"), documentedRules());
  writeFileSync(join(dir, "test.yaml"), `rule_files: [rules.yaml]\nevaluation_interval: 1m\ntests:\n${tests}`);
  const run = Bun.spawnSync([PROMTOOL, "test", "rules", join(dir, "test.yaml")], { stdout: "pipe", stderr: "pipe" });
  return { code: run.exitCode ?? -1, output: `${run.stdout}${run.stderr}` };
}

const series = (name: string, labels: string, values: string) => `      - series: '${name}{job="ddnsd",instance="h:8080",${labels}}'\n        values: '${values}'\n`;

describe("documented alert rules (promtool test rules)", () => {
  it("DdnsIpDetectionFailing fires for a required family and not for a default family never detected", () => {
    const result = promtoolTest(`  - interval: 1m
    input_series:
${series("ddns_ip_detection_failing", 'family="ipv4"', "0 0 1x30")}${series("ddns_ip_family_required", 'family="ipv4"', "1x32")}${series("ddns_ip_detection_failing", 'family="ipv6"', "1x32")}${series("ddns_ip_family_required", 'family="ipv6"', "0x32")}    alert_rule_test:
      - eval_time: 10m
        alertname: DdnsIpDetectionFailing
        exp_alerts: []
      - eval_time: 20m
        alertname: DdnsIpDetectionFailing
        exp_alerts:
          - exp_labels: { severity: warning, instance: "h:8080", family: ipv4 }
            exp_annotations:
              summary: "ddnsd on h:8080 has not detected its ipv4 address for 15 minutes"
              description: "GET /status shows addresses.ipv4.lastError and failingSince."
`);
    expect(result).toEqual({ code: 0, output: expect.stringContaining("SUCCESS") });
  });

  it("DdnsRateLimited fires on the first 429, since the counter exists at 0 before it", () => {
    const result = promtoolTest(`  - interval: 1m
    input_series:
${series("ddns_provider_requests_total", 'provider="cloudflare",outcome="rate-limited"', "0 0 0 1 1 1")}    alert_rule_test:
      - eval_time: 2m
        alertname: DdnsRateLimited
        exp_alerts: []
      - eval_time: 4m
        alertname: DdnsRateLimited
        exp_alerts:
          - exp_labels: { severity: info, job: ddnsd, instance: "h:8080", provider: cloudflare, outcome: rate-limited }
            exp_annotations: { summary: "ddnsd was rate-limited by cloudflare in the last hour" }
`);
    expect(result).toEqual({ code: 0, output: expect.stringContaining("SUCCESS") });
  });
});
