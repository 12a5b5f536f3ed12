import { latencySummary, median, ratio, spread } from "./lib.ts";

/**
 * The one table `bun run bench` prints (Markdown, so that docs/performance.md can quote it as it is): one row per
 * figure, the value as median (min–max) over the runs, and the number of samples.
 */

export interface Row {
  area: string;
  figure: string;
  value: string;
  n: string;
}

export class Table {
  readonly rows: Row[] = [];

  add(area: string, figure: string, value: string, n: number | string = ""): void {
    this.rows.push({ area, figure, value, n: String(n) });
  }

  /** median (min–max) of `values`, or "—" with the reason. */
  stat(area: string, figure: string, values: number[], digits = 1, missing = "—"): void {
    const ok = values.filter((v) => Number.isFinite(v));
    this.add(area, figure, ok.length ? spread(ok, digits) : missing, ok.length);
  }

  latency(area: string, figure: string, values: number[], digits = 0): void {
    this.add(area, figure, values.length ? `p50 / p99 / max ${latencySummary(values, digits)}` : "no samples", values.length);
  }

  ratio(area: string, figure: string, ours: number[], theirs: number[], digits = 2): void {
    const a = ours.filter(Number.isFinite);
    const b = theirs.filter(Number.isFinite);
    this.add(area, figure, a.length && b.length ? ratio(median(a), median(b), digits) : "—", "");
  }

  render(): string {
    const head: Row = { area: "area", figure: "figure", value: "median (min–max) over runs", n: "n" };
    const all = [head, ...this.rows];
    const w = (k: keyof Row) => Math.max(...all.map((r) => r[k].length));
    const line = (r: Row) => `| ${r.area.padEnd(w("area"))} | ${r.figure.padEnd(w("figure"))} | ${r.value.padEnd(w("value"))} | ${r.n.padStart(w("n"))} |`;
    const rule = `|${"-".repeat(w("area") + 2)}|${"-".repeat(w("figure") + 2)}|${"-".repeat(w("value") + 2)}|${"-".repeat(w("n") + 1)}:|`;
    return [line(head), rule, ...this.rows.map(line)].join("\n");
  }
}
