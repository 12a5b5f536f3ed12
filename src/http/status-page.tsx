import { raw } from "hono/html";
import type { PublicAddress, PublicRecord, PublicStatus } from "./public-status.ts";
import { absoluteTime, quoted, relativeTime } from "./page-format.ts";
import { PAGE_CSS } from "./page-style.ts";
import { HistorySection } from "./page-history.tsx";

/**
 * `GET /`: the status page for a person, rendered on the server from what `/status` answers (the same redacted
 * copy, so the page can show nothing the JSON does not). No script, no external asset: it works without
 * JavaScript and the Content-Security-Policy (app.ts) forbids scripts outright. Every value goes through hono's
 * JSX, which escapes text and attributes, so a hostile record name or error text stays text.
 */
export interface PageModel {
  status: PublicStatus;
  readiness: { ok: boolean; reason: string };
  now: number;
}

/** Seconds between the page's own reloads (a meta refresh: no script needed). */
export const REFRESH_SECONDS = 60;

function When(props: { at: string | null; now: number }) {
  if (props.at === null) return <span class="muted">never</span>;
  return (
    <time datetime={props.at}>
      {absoluteTime(props.at)} <small>({relativeTime(props.at, props.now)})</small>
    </time>
  );
}

function AddressCard(props: { family: "ipv4" | "ipv6"; a: PublicAddress; now: number }) {
  const { a, now } = props;
  const state = a.available ? "ok" : a.lastError !== null ? "failing" : "pending";
  return (
    <div class="card" data-family={props.family}>
      <strong>{props.family === "ipv4" ? "IPv4" : "IPv6"}</strong> <span class={`badge ${state}`}>{a.available ? "detected" : a.lastError !== null ? "failing" : "not detected yet"}</span>
      {!a.required && <span class="muted"> · optional</span>}
      <p class="addr" data-field="address">{a.address ?? "—"}</p>
      <p class="meta">
        {a.source !== null && <>from <span data-field="source">{a.source}</span><br /></>}
        detected <When at={a.detectedAt} now={now} />
        {a.failingSince !== null && <><br />failing since <When at={a.failingSince} now={now} /></>}
      </p>
      {a.lastError !== null && <p class="error" data-field="error">{quoted(a.lastError)}</p>}
    </div>
  );
}

function RecordRow(props: { r: PublicRecord; now: number; targets: boolean }) {
  const { r, now } = props;
  return (
    <tr data-record={`${r.name}/${r.type}`} data-target={r.target} data-state={r.state}>
      {props.targets && <td data-label="Target">{r.target}</td>}
      <td data-label="Record"><strong>{r.name}</strong></td>
      <td data-label="Type">{r.type}</td>
      <td data-label="Address">
        <span class="addr">{r.content ?? "—"}</span>
        {r.leftAlone && <div class="muted" data-field="not-owned">{r.managed ? "beside it, not owned: " : "not this daemon's: "}{r.leftAlone.map((l) => `${l.address} (${l.why})`).join("; ")}</div>}
      </td>
      <td data-label="State"><span class={`badge ${r.state}`}>{r.state}</span></td>
      <td data-label="Last change"><When at={r.lastChange} now={now} /></td>
      <td data-label="Last error">{r.lastError === null ? <span class="muted">none</span> : <span class="error">{quoted(r.lastError)}</span>}</td>
    </tr>
  );
}

function Page(props: PageModel) {
  const { status: s, readiness, now } = props;
  const families = (["ipv4", "ipv6"] as const).filter((f) => s.addresses[f] !== undefined);
  // The target column (and the target in the timeline) only when there are several: one target is no news.
  const targets = new Set(s.records.map((r) => r.target)).size > 1;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta http-equiv="refresh" content={String(REFRESH_SECONDS)} />
        <title>{`ddnsd — ${readiness.ok ? "ready" : "not ready"}`}</title>
        {/* Raw: CSS is not HTML text, and the sheet is a constant of this program, never a value from outside. */}
        <style>{raw(PAGE_CSS)}</style>
      </head>
      <body>
        <main>
          <h1>ddnsd</h1>
          <p class="meta">
            version {s.version} on {s.runtime} · started <When at={s.startedAt} now={now} /> · last round <When at={s.lastRoundAt} now={now} /> · {s.rounds} round(s)
          </p>
          <p id="readiness" class={`banner ${readiness.ok ? "ok" : "failing"}`} data-ready={String(readiness.ok)}>
            {readiness.ok ? "Ready: every record is confirmed." : `Not ready — ${readiness.reason}`}
          </p>
          <section id="addresses" aria-labelledby="addresses-title">
            <h2 id="addresses-title">Detected addresses</h2>
            <div class="cards">
              {families.map((f) => (
                <AddressCard family={f} a={s.addresses[f]!} now={now} />
              ))}
            </div>
          </section>
          <section id="records" aria-labelledby="records-title">
            <h2 id="records-title">Records</h2>
            <table>
              <thead>
                <tr>{targets && <th>Target</th>}<th>Record</th><th>Type</th><th>Address</th><th>State</th><th>Last change</th><th>Last error</th></tr>
              </thead>
              <tbody>
                {s.records.map((r) => (
                  <RecordRow r={r} now={now} targets={targets} />
                ))}
              </tbody>
            </table>
          </section>
          <HistorySection history={s.history} now={now} targets={targets} />
          <p class="meta">Also as JSON: <a href="status">/status</a> · <a href="metrics">/metrics</a>. This page reloads every {REFRESH_SECONDS} s.</p>
        </main>
      </body>
    </html>
  );
}

/** The whole document, doctype included. */
export function renderStatusPage(model: PageModel): string {
  return `<!doctype html>${(<Page {...model} />).toString()}`;
}
