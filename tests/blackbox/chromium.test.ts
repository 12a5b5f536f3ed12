import { describe, expect, it } from "bun:test";
import { browserUnavailable } from "./chromium.ts";

/** The browser test's skip rule: skipped with the reason only when chromium is absent, never under .ci/run. */
describe("when the status page's browser test runs", () => {
  it.each([
    { name: "chromium present", env: {}, chromium: "/usr/bin/chromium", outcome: "runs" },
    { name: "chromium present under .ci/run", env: { DDNSD_CI: "1" }, chromium: "/usr/bin/chromium", outcome: "runs" },
    { name: "chromium absent", env: {}, chromium: null, outcome: "skips" },
    { name: "chromium absent under .ci/run", env: { DDNSD_CI: "1" }, chromium: null, outcome: "fails" },
  ])("$name: $outcome", ({ env, chromium, outcome }) => {
    const reason = 'chromium is not installed (apt-get install chromium, or run "bash scripts/install-test-deps.sh")';
    if (outcome === "fails") expect(() => browserUnavailable(env, chromium)).toThrow(`${reason}; .ci/run needs it for the status page's browser test`);
    else expect(browserUnavailable(env, chromium)).toBe(outcome === "runs" ? undefined : reason);
  });
});
