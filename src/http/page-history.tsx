import type { PublicHistoryEntry } from "./public-status.ts";
import { absoluteTime, dailyCounts, quoted, relativeTime } from "./page-format.ts";

/** Days the sparkline covers, today included. */
export const SPARK_DAYS = 14;

/** Changes per day as bars (failed updates stacked in red), in an inline SVG the page carries itself. */
export function Sparkline(props: { history: readonly PublicHistoryEntry[]; now: number }) {
  const counts = dailyCounts(props.history, props.now, SPARK_DAYS);
  const max = Math.max(1, ...counts.map((d) => d.changes + d.failures));
  const width = 10;
  const height = 40;
  const total = counts.reduce((n, d) => n + d.changes + d.failures, 0);
  const busy = counts.filter((d) => d.changes + d.failures > 0);
  const perDay = busy.map((d) => `${d.day}: ${d.changes}${d.failures ? ` + ${d.failures} failed` : ""}`).join(", ");
  const label = `${total} event(s) in the last ${SPARK_DAYS} days${perDay ? ` (${perDay})` : ""}`;
  return (
    <svg class="spark" viewBox={`0 0 ${SPARK_DAYS * width} ${height + 1}`} preserveAspectRatio="none" role="img" aria-label={label} data-total={String(total)}>
      <title>{label}</title>
      <line class="base" x1="0" y1={String(height + 0.5)} x2={String(SPARK_DAYS * width)} y2={String(height + 0.5)} />
      {counts.map((d, i) => {
        const changes = (d.changes / max) * height;
        const failures = (d.failures / max) * height;
        return (
          <g data-day={d.day}>
            {d.changes > 0 && <rect class="c" x={String(i * width + 1)} y={String(height - changes)} width={String(width - 2)} height={String(changes)} />}
            {d.failures > 0 && <rect class="f" x={String(i * width + 1)} y={String(height - changes - failures)} width={String(width - 2)} height={String(failures)} />}
          </g>
        );
      })}
    </svg>
  );
}

const FAMILY = { ipv4: "IPv4", ipv6: "IPv6" } as const;

function Event(props: { e: PublicHistoryEntry; now: number; targets: boolean }) {
  const { e, now } = props;
  const when = (
    <time datetime={e.at}>
      {absoluteTime(e.at)} <small>({relativeTime(e.at, now)})</small>
    </time>
  );
  if (e.kind === "address") {
    return (
      <li class="address" data-kind="address" data-family={e.family}>
        {when}
        <br />
        {FAMILY[e.family]} address {e.from === null ? "detected" : "changed"}:{" "}
        {e.from !== null && <><span class="addr">{e.from}</span> → </>}
        <span class="addr">{e.to}</span>
        {e.source !== null && <span class="muted"> from {e.source}</span>}
      </li>
    );
  }
  const verb = e.result === "created" ? "created" : e.result === "updated" ? "updated" : "update failed";
  return (
    <li class={e.result} data-kind="record" data-record={`${e.name}/${e.type}`} data-target={e.target} data-result={e.result}>
      {when}
      <br />
      {e.type} record <strong>{e.name}</strong>{props.targets && <span class="muted"> at {e.target}</span>} {verb}:{" "}
      {e.from !== null && <><span class="addr">{e.from}</span> → </>}
      <span class="addr">{e.to}</span>
      {e.error !== null && <><br /><span class="error">{quoted(e.error)}</span></>}
    </li>
  );
}

/** The recent history: the sparkline, then the events newest first. */
export function HistorySection(props: { history: readonly PublicHistoryEntry[]; now: number; targets: boolean }) {
  return (
    <section id="history" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <Sparkline history={props.history} now={props.now} />
      {props.history.length === 0 ? (
        <p class="muted">No address change or record update yet.</p>
      ) : (
        <ol class="timeline">
          {props.history.map((e) => (
            <Event e={e} now={props.now} targets={props.targets} />
          ))}
        </ol>
      )}
    </section>
  );
}
