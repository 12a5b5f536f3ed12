import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Debian's chromium, headless, for the status page's browser test (scripts/install-test-deps.sh installs it, and
 * .ci/run sets DDNSD_CI=1 so that its absence fails there instead of skipping). Each call gets a profile of its own,
 * so parallel runs do not share one; as root chromium needs --no-sandbox.
 */
export const CHROMIUM = Bun.which("chromium") ?? Bun.which("chromium-browser");

/** Why the browser test cannot run here, or undefined when it can. Under .ci/run an absent chromium is an error. */
export function browserUnavailable(env: Record<string, string | undefined> = process.env, chromium: string | null = CHROMIUM): string | undefined {
  if (chromium) return undefined;
  const reason = 'chromium is not installed (apt-get install chromium, or run "bash scripts/install-test-deps.sh")';
  if (env.DDNSD_CI === "1") throw new Error(`${reason}; .ci/run needs it for the status page's browser test`);
  return reason;
}

async function chromium(args: string[], timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  const profile = mkdtempSync(join(tmpdir(), "ddnsd-chromium-"));
  try {
    const proc = Bun.spawn([CHROMIUM!, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--hide-scrollbars", `--user-data-dir=${profile}`, ...args], {
      stdout: "pipe",
      stderr: "pipe",
      stdin: "ignore",
    });
    const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    clearTimeout(timer);
    return { code, stdout, stderr };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The DOM after the page loaded, as chromium serializes it (`--dump-dom`). */
export async function dumpDom(url: string, timeoutMs = 15_000): Promise<string> {
  const r = await chromium(["--dump-dom", url], timeoutMs);
  if (r.code !== 0 || !r.stdout.includes("</html>")) throw new Error(`chromium --dump-dom ${url} failed (exit ${r.code}): ${r.stderr.slice(-500)}`);
  return r.stdout;
}

/** A PNG of the page at `width`×`height` CSS pixels; `dark` asks for prefers-color-scheme: dark. */
export async function screenshot(url: string, path: string, opts: { width: number; height: number; dark?: boolean }, timeoutMs = 15_000): Promise<void> {
  const dark = opts.dark ? ["--force-dark-mode", "--blink-settings=preferredColorScheme=0"] : ["--blink-settings=preferredColorScheme=1"];
  const r = await chromium([...dark, `--window-size=${opts.width},${opts.height}`, `--screenshot=${path}`, url], timeoutMs);
  if (r.code !== 0) throw new Error(`chromium --screenshot ${url} failed (exit ${r.code}): ${r.stderr.slice(-500)}`);
}
