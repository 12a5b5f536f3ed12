import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

/**
 * The import graph of src/, read from the source text (static `import … from`, `export … from`, `import "…"` and
 * `new URL("…", import.meta.url)`), and the layer table of docs/dev/CONVENTIONS.md: bottom first, a file may import
 * from its own layer or any lower one. Matching is by longest path prefix, so `src/providers/kit/` is its own layer
 * below `src/providers/`.
 */
export const ROOT = join(import.meta.dir, "..", "..");

export const LAYERS: ReadonlyArray<{ name: string; prefixes: readonly string[] }> = [
  { name: "core", prefixes: ["src/core/"] },
  { name: "log", prefixes: ["src/log/"] },
  { name: "protocols", prefixes: ["src/net/", "src/dns/", "src/providers/kit/"] },
  { name: "metrics", prefixes: ["src/metrics/"] },
  { name: "state", prefixes: ["src/state/"] },
  { name: "ip", prefixes: ["src/ip/"] },
  { name: "providers", prefixes: ["src/providers/"] },
  { name: "notify", prefixes: ["src/notify/"] },
  { name: "engine", prefixes: ["src/engine/"] },
  { name: "update-server", prefixes: ["src/update-server/"] },
  { name: "config", prefixes: ["src/config/"] },
  { name: "http", prefixes: ["src/http/"] },
  { name: "daemon", prefixes: ["src/daemon/"] },
  { name: "cli", prefixes: ["src/cli/"] },
  { name: "runtime", prefixes: ["src/runtime/"] },
  { name: "entry", prefixes: ["src/main.ts", "src/worker.ts"] },
];

export function layerOf(file: string): number {
  let best = -1;
  let bestLength = -1;
  LAYERS.forEach((layer, i) => {
    for (const p of layer.prefixes) if (file.startsWith(p) && p.length > bestLength) (best = i), (bestLength = p.length);
  });
  return best;
}

export function sourceFiles(dir = "src"): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true })
    .map(String)
    .filter((f) => /\.(ts|tsx)$/.test(f))
    .map((f) => `${dir}/${f}`)
    .sort();
}

const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']|(?:^|[\s;])import\s*["']([^"']+)["']|new URL\(\s*["'](\.[^"']+)["']\s*,\s*import\.meta\.url/gm;

/** Relative imports of `file`, resolved to repository paths. */
export function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec?.startsWith(".")) out.push(normalize(join(dirname(file), spec)));
  }
  return out;
}

export interface Edge {
  from: string;
  to: string;
}

export function upwardImports(files: readonly string[]): Edge[] {
  const out: Edge[] = [];
  for (const from of files) {
    for (const to of importsOf(from)) if (layerOf(to) > layerOf(from)) out.push({ from, to });
  }
  return out;
}

/** Every cycle found by a depth-first walk, each as the list of files around it (file level). */
export function importCycles(files: readonly string[]): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => files.includes(t))]));
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (f: string) => {
    state.set(f, "open");
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (state.get(t) === "open") cycles.push([...stack.slice(stack.indexOf(t)), t]);
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, "done");
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return cycles;
}

export const rel = (path: string) => relative(ROOT, path);
