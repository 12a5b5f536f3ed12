import type { Beat, Message, RecordChange, RoundNews } from "./types.ts";

/**
 * What becomes a message (issue 17's policy): one message per round that changed records, grouped by address
 * ("home.example.com and 3 others → 203.0.113.7"); one per failure episode (the engine reports a record failing once,
 * after its first retry failed); one on recovery; nothing for a quiet round. The first round after start says
 * "started" when it changed something and stays silent when it did not (a restart with nothing to change); when it
 * failed, the first change that follows says "started".
 * Titles are ASCII: some services carry them in an HTTP header (ntfy's Title).
 */
export interface MessagePolicy {
  started(): void;
  messages(news: RoundNews): Message[];
  beat(news: RoundNews): Beat;
}

/** `a`, `a and b`, `a and 3 others`. */
export function groupNames(names: readonly string[]): string {
  const unique = [...new Set(names)];
  if (unique.length <= 2) return unique.join(" and ");
  return `${unique[0]} and ${unique.length - 1} others`;
}

/** One line per new content, the records that got it grouped. */
export function changeLines(changes: readonly RecordChange[]): string[] {
  const byContent = new Map<string, string[]>();
  for (const c of changes) byContent.set(c.content, [...(byContent.get(c.content) ?? []), c.name]);
  return [...byContent].map(([content, names]) => `${groupNames(names)} → ${content}`);
}

export function createMessagePolicy(): MessagePolicy {
  let firstRound = false;
  return {
    started: () => void (firstRound = true),
    messages(news) {
      const out: Message[] = [];
      const first = firstRound;
      // "Started" goes with the first change after start; a first round that failed without changing keeps it.
      if (news.changes.length > 0 || news.confirmed) firstRound = false;
      if (news.changes.length > 0) out.push({ title: first ? "ddnsd started: records updated" : "ddnsd: address changed", body: changeLines(news.changes).join("\n") });
      if (news.failing.length > 0) {
        out.push({ title: "ddnsd: record update failing", body: news.failing.map((f) => `${f.subject} could not be updated: ${f.message}`).join("\n") });
      }
      if (news.recovered.length > 0) out.push({ title: "ddnsd: record updates work again", body: changeLines(news.recovered).join("\n") });
      return out;
    },
    beat(news) {
      if (news.confirmed) return { kind: "up", message: news.changes.length > 0 ? changeLines(news.changes).join("; ") : "every record is up to date" };
      return { kind: "down", message: news.problem ?? "not every record could be confirmed" };
    },
  };
}

export const TEST_MESSAGE: Message = { title: "ddnsd test message", body: "This is a test message from ddnsd notify test: this channel works." };
