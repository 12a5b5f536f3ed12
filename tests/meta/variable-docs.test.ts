import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { KNOWN_VARIABLES } from "../../src/config/known-variables.ts";
import { VARIABLE_DOCS } from "../../src/config/variable-docs.ts";

/**
 * The docs say every variable is in docs/OPS.md ("Configuration") and `ddnsd --help`: this holds both to the list of
 * variables ddnsd actually reads (KNOWN_VARIABLES), and every `docs/OPS.md ("Section")` pointer to a real heading.
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
  it("VARIABLE_DOCS (what --help prints) names exactly the variables ddnsd reads", () => {
    const names = VARIABLE_DOCS.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...KNOWN_VARIABLES].sort());
  });

  it("docs/OPS.md's Configuration table names exactly those variables, with the same defaults", () => {
    const table = opsConfigurationTable();
    expect([...table.keys()].sort()).toEqual([...KNOWN_VARIABLES].sort());
    for (const doc of VARIABLE_DOCS) expect({ name: doc.name, default: table.get(doc.name) }).toEqual({ name: doc.name, default: doc.default });
  });

  it("every docs/OPS.md (\"Section\") pointer in the shipped files names a heading of docs/OPS.md", () => {
    const headings = new Set([...ops.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]!.replace(/`/g, "").replace(/\s*\(.*\)$/, "").trim()));
    const files = ["compose.yaml", "deploy/ddnsd.env.example", "deploy/systemd/ddnsd.env.example", "deploy/systemd/ddnsd.service", "deploy/quadlet/ddnsd.container", "deploy/kubernetes/deployment.yaml", ".env.example", "README.md"];
    const pointers = files.flatMap((f) => [...read(f).matchAll(/docs\/OPS\.md \("([^"]+)"\)/g)].map((m) => ({ file: f, section: m[1]! })));
    expect(pointers.length).toBeGreaterThan(3);
    expect(pointers.filter((p) => !headings.has(p.section))).toEqual([]);
  });
});
