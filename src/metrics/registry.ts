/**
 * A small Prometheus registry: counters, gauges and histograms with labels, rendered in text format 0.0.4.
 * Hand-written because prom-client is tied to Node's process APIs and pulls in more than the daemon needs; the
 * format itself is a few lines. Label values are escaped per the exposition format (backslash, quote, newline).
 */
export type Labels = Record<string, string>;
type Kind = "counter" | "gauge" | "histogram";

interface Family {
  name: string;
  help: string;
  kind: Kind;
  buckets?: number[];
  series: Map<string, Series>;
}

/**
 * One labelled series. Its label text (`{a="1",b="2"}`, and a histogram's per-bucket texts) is rendered once, when
 * the series is made: a scrape of 1000 records then builds each of its ~2000 lines from cached pieces instead of
 * re-escaping every label value (bench/busy.ts, one scrape a second: RSS median 32.9 against 33.6 MiB without it, one
 * run each — within the noise; docs/memory.md).
 */
interface Series {
  labels: Labels;
  text: string;
  value: number;
  counts?: number[];
  sum?: number;
  bucketTexts?: string[];
}

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const escapeHelp = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
/**
 * A series' map key: its labels as JSON, names in code-unit order (label names are ASCII; localeCompare would load
 * ICU's collator: ~2 MiB of RSS). Labels given in that order already — nearly every call — are stringified as they
 * are: a 1000-record round sets four series per record, and an entries array with a pair per label each time was a
 * round's garbage too (docs/memory.md).
 */
const labelKey = (labels: Labels): string => {
  let last = "";
  for (const name in labels) {
    if (name < last) return JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
    last = name;
  }
  return JSON.stringify(labels);
};
const renderLabels = (labels: Labels) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
};
const num = (v: number) => (Number.isFinite(v) ? String(v) : v > 0 ? "+Inf" : v < 0 ? "-Inf" : "NaN");

export interface Counter { inc(labels?: Labels, by?: number): void; get(labels?: Labels): number }
export interface Gauge { set(value: number, labels?: Labels): void; get(labels?: Labels): number; remove(labels: Labels): void }
export interface Histogram { observe(value: number, labels?: Labels): void }

export class Registry {
  readonly #families = new Map<string, Family>();
  /** Called before rendering, e.g. to sample process memory. */
  readonly #collectors: Array<() => void> = [];

  #family(name: string, help: string, kind: Kind, buckets?: number[]): Family {
    const existing = this.#families.get(name);
    if (existing) return existing;
    const family: Family = { name, help, kind, buckets, series: new Map() };
    this.#families.set(name, family);
    return family;
  }

  #series(f: Family, labels: Labels): Series {
    const key = labelKey(labels);
    let s = f.series.get(key);
    if (!s) {
      s = { labels, text: renderLabels(labels), value: 0 };
      if (f.buckets) {
        s.counts = f.buckets.map(() => 0);
        s.sum = 0;
        s.bucketTexts = [...f.buckets.map(num), "+Inf"].map((le) => renderLabels({ ...labels, le }));
      }
      f.series.set(key, s);
    }
    return s;
  }

  counter(name: string, help: string): Counter {
    const f = this.#family(name, help, "counter");
    return {
      inc: (labels = {}, by = 1) => void (this.#series(f, labels).value += by),
      get: (labels = {}) => f.series.get(labelKey(labels))?.value ?? 0,
    };
  }

  gauge(name: string, help: string): Gauge {
    const f = this.#family(name, help, "gauge");
    return {
      set: (value, labels = {}) => void (this.#series(f, labels).value = value),
      get: (labels = {}) => f.series.get(labelKey(labels))?.value ?? 0,
      remove: (labels) => void f.series.delete(labelKey(labels)),
    };
  }

  histogram(name: string, help: string, buckets: number[]): Histogram {
    const f = this.#family(name, help, "histogram", [...buckets].sort((a, b) => a - b));
    return {
      observe: (value, labels = {}) => {
        const s = this.#series(f, labels);
        f.buckets!.forEach((b, i) => { if (value <= b) s.counts![i]! += 1; });
        s.sum! += value;
        s.value += 1;
      },
    };
  }

  collect(fn: () => void): void {
    this.#collectors.push(fn);
  }

  /** The text exposition (format 0.0.4): HELP and TYPE for every family, then its samples. */
  render(): string {
    for (const fn of this.#collectors) fn();
    let out = "";
    for (const f of this.#families.values()) {
      out += `# HELP ${f.name} ${escapeHelp(f.help)}\n# TYPE ${f.name} ${f.kind}\n`;
      for (const s of f.series.values()) {
        if (f.kind !== "histogram") {
          out += `${f.name}${s.text} ${num(s.value)}\n`;
          continue;
        }
        const texts = s.bucketTexts!;
        s.counts!.forEach((count, i) => (out += `${f.name}_bucket${texts[i]} ${count}\n`));
        out += `${f.name}_bucket${texts[texts.length - 1]} ${s.value}\n${f.name}_sum${s.text} ${num(s.sum!)}\n${f.name}_count${s.text} ${s.value}\n`;
      }
    }
    return out;
  }
}
