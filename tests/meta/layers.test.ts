import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { importCycles, layerOf, LAYERS, ROOT, sourceFiles, upwardImports } from "./import-graph.ts";
import { ALL_PROVIDERS } from "../../src/providers/registry.ts";

/**
 * The architecture, enforced (docs/dev/CONVENTIONS.md "Layers"): every file of src/ belongs to a layer, imports
 * only from its own layer or lower ones, no import cycle exists, and config/ names no provider.
 */
const files = sourceFiles();

describe("the layers of src/", () => {
  it("maps every source file to a layer", () => {
    expect(files.filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  it("has no import from a lower layer to a higher one", () => {
    const shown = upwardImports(files).map((e) => `${e.from} (${LAYERS[layerOf(e.from)]!.name}) imports ${e.to} (${LAYERS[layerOf(e.to)]!.name})`);
    expect(shown).toEqual([]);
  });

  it("has no import cycle", () => {
    expect(importCycles(files).map((c) => c.join(" → "))).toEqual([]);
  });

  it("names no provider id in src/config/", () => {
    const ids = ALL_PROVIDERS.ids;
    const found = files
      .filter((f) => f.startsWith("src/config/"))
      .flatMap((f) => ids.filter((id) => new RegExp(`["'\`]${id}["'\`]`).test(readFileSync(join(ROOT, f), "utf8"))).map((id) => `${f}: "${id}"`));
    expect(found).toEqual([]);
  });

  it("the guard itself finds an upward import and a cycle when there is one", () => {
    expect(layerOf("src/core/x.ts")).toBeLessThan(layerOf("src/config/x.ts"));
    expect(layerOf("src/providers/kit/x.ts")).toBeLessThan(layerOf("src/providers/cloudflare/x.ts"));
    expect(layerOf("src/main.ts")).toBe(LAYERS.length - 1);
  });
});
