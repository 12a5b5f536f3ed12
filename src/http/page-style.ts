/**
 * The status page's only style sheet, inline (no external assets): system fonts, light and dark after the
 * reader's `prefers-color-scheme`, and on a narrow screen the records table turns into one card per record.
 */
export const PAGE_CSS = `
:root { color-scheme: light dark; --bg: #f7f7f5; --fg: #1c1c1e; --muted: #5f6368; --card: #ffffff; --line: #dcdcd8;
  --ok: #1a7f37; --ok-bg: #dafbe1; --pending: #8a6100; --pending-bg: #fff4d6; --bad: #b3261e; --bad-bg: #fde7e4; --accent: #0b57d0; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #111315; --fg: #e8eaed; --muted: #9aa0a6; --card: #1b1e21; --line: #33383d;
    --ok: #6fdd8b; --ok-bg: #12351d; --pending: #f2cc60; --pending-bg: #3a2e0b; --bad: #ff8a80; --bad-bg: #42161a; --accent: #8ab4f8; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.35rem; margin: 0 0 .25rem; }
h2 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
p, ul, ol { margin: .25rem 0; }
.meta, .muted, time small { color: var(--muted); }
.meta { font-size: .85rem; }
code, .addr { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; overflow-wrap: anywhere; }
.error { color: var(--bad); overflow-wrap: anywhere; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 1rem; font-size: .8rem; font-weight: 600; }
.ok { color: var(--ok); background: var(--ok-bg); }
.pending { color: var(--pending); background: var(--pending-bg); }
.failing { color: var(--bad); background: var(--bad-bg); }
.banner { padding: .6rem .8rem; border-radius: .5rem; margin: .75rem 0; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: .75rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: .75rem; }
.card .addr { font-size: 1.1rem; }
table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); border-radius: .5rem; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .8rem; color: var(--muted); font-weight: 600; }
td .addr { white-space: nowrap; }
@media (max-width: 40rem) {
  table, tbody, tr, td { display: block; width: 100%; }
  thead { display: none; }
  tr { border-bottom: 1px solid var(--line); padding: .4rem 0; }
  td { border: 0; padding: .15rem .6rem; }
  td .addr { white-space: normal; }
  td::before { content: attr(data-label) ": "; color: var(--muted); font-size: .8rem; }
}
.timeline { list-style: none; padding: 0; border-left: 2px solid var(--line); margin-left: .4rem; }
.timeline li { position: relative; padding: .2rem 0 .6rem 1rem; }
.timeline li::before { content: ""; position: absolute; left: -.4rem; top: .55rem; width: .7rem; height: .7rem; border-radius: 50%; background: var(--accent); }
.timeline li.failed::before { background: var(--bad); }
.spark { display: block; width: 100%; max-width: 28rem; height: 3rem; margin: .25rem 0 .75rem; }
.spark .c { fill: var(--accent); }
.spark .f { fill: var(--bad); }
.spark .base { stroke: var(--line); }
`;
