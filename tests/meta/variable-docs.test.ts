import { describe, expect, it } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { knownVariables } from "../../src/config/known-variables.ts";
import { providerVariableDocs, VARIABLE_DOCS } from "../../src/config/variable-docs.ts";
import { ALL_PROVIDERS } from "../../src/providers/registry.ts";

/**
 * Every variable is documented once, with its default: the daemon-wide and per-target ones in docs/OPS.md
 * ("Configuration") and `ddnsd --help`, each provider's own in its docs/providers/<id>.md page (and `ddnsd
 * providers`, from the same descriptor); every `DDNS_…` name the configuration code reads is one of them; and every
 * `docs/OPS.md ("Section")` pointer names a real heading.
 */
const ROOT = join(import.meta.dir, "..", "..");
const read = (...path: string[]) => readFileSync(join(ROOT, ...path), "utf8");
const ops = read("docs", "OPS.md");

/** The `| \\`NAME\\` | default | meaning |` rows of OPS.md's Configuration section: name → default. */
function opsConfigurationTable(): Map<string, string> {
  const section = /\n## Configuration\n([\s\S]*?)\n## /.exec(ops)?.[1] ?? "";
  const rows = [...section.matchAll(/^\| `(DDNS_[A-Z0-9_]+)` \| ([^|]+) \|/gm)];
  return new Map(rows.map((m) => [m[1]!, m[2]!.trim().replace(/^`(.*)`$/, "$1")]));
}

describe("every variable is documented once, with its default", () => {
  it("docs/OPS.md's Configuration table names exactly the daemon-wide and per-target variables, with --help's defaults", () => {
    const table = opsConfigurationTable();
    expect([...table.keys()].sort()).toEqual(VARIABLE_DOCS.map((d) => d.name).sort());
    for (const doc of VARIABLE_DOCS) expect({ name: doc.name, default: table.get(doc.name) }).toEqual({ name: doc.name, default: doc.default });
  });

  it("each provider's page names every variable of its descriptor", () => {
    const missing = ALL_PROVIDERS.list.flatMap((d) => {
      const page = read(d.docs);
      return d.variables.filter((v) => !page.includes(v.name)).map((v) => `${d.docs}: ${v.name}`);
    });
    expect(missing).toEqual([]);
  });

  it("every DDNS_ name written in src/config/ is a variable ddnsd documents", () => {
    const known = new Set(knownVariables(ALL_PROVIDERS));
    const dir = join(ROOT, "src", "config");
    const written = readdirSync(dir).flatMap((f) => [...read("src", "config", f).matchAll(/"(DDNS_[A-Z0-9_]+)"/g)].map((m) => m[1]!));
    expect([...new Set(written)].filter((n) => !known.has(n) && !n.endsWith("_"))).toEqual([]);
  });

  it("names no variable twice", () => {
    const names = [...VARIABLE_DOCS, ...providerVariableDocs(ALL_PROVIDERS)].map((d) => d.name);
    expect(names.length).toBe(new Set(names).size);
  });

  it("every docs/OPS.md (\"Section\") pointer in the shipped files names a heading of docs/OPS.md", () => {
    const headings = new Set([...ops.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]!.replace(/`/g, "").replace(/\s*\(.*\)$/, "").trim()));
    const files = ["compose.yaml", "deploy/ddnsd.env.example", "deploy/systemd/ddnsd.env.example", "deploy/systemd/ddnsd.service", "deploy/quadlet/ddnsd.container", "deploy/kubernetes/deployment.yaml", ".env.example", "README.md"];
    const pointers = files.flatMap((f) => [...read(f).matchAll(/docs\/OPS\.md \("([^"]+)"\)/g)].map((m) => ({ file: f, section: m[1]! })));
    expect(pointers.length).toBeGreaterThan(3);
    expect(pointers.filter((p) => !headings.has(p.section))).toEqual([]);
  });
});
