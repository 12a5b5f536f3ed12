import { createServiceChannel, type HttpChannelDeps } from "./http-channel.ts";
import { createHeartbeatChannel } from "./heartbeats.ts";
import { parseServiceUrl } from "./services/catalogue.ts";
import type { Endpoints } from "./services/service-types.ts";
import { secretsOf } from "./services/url-parts.ts";
import type { Channel } from "./types.ts";
import type { SmtpChannelFactory } from "./smtp-session.ts";

/** The notification settings as the configuration holds them: checked at start (config/notify-config.ts). */
export interface NotifySettings {
  /** DDNS_NOTIFY_URLS, one shoutrrr URL each. */
  urls: string[];
  healthchecks?: string;
  uptimeKuma?: string;
}

export const NO_NOTIFY_SETTINGS: NotifySettings = { urls: [] };

/** The label of each URL: its scheme, numbered from the second of a kind (`ntfy`, `ntfy-2`). */
export function channelLabels(urls: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return urls.map((u) => {
    const scheme = (/^([a-z0-9+.-]+):/i.exec(u)?.[1] ?? "url").toLowerCase().replace(/\+.*/, "");
    const n = (seen.get(scheme) ?? 0) + 1;
    seen.set(scheme, n);
    return n === 1 ? scheme : `${scheme}-${n}`;
  });
}

/** Every label the settings give: the metric's series are primed with them. */
export function settingsLabels(s: NotifySettings): string[] {
  return [...channelLabels(s.urls), ...(s.healthchecks ? ["healthchecks"] : []), ...(s.uptimeKuma ? ["uptimekuma"] : [])];
}

/** What must never be shown of the settings: tokens, passwords, webhook paths, ping keys. */
export function settingsSecrets(s: NotifySettings): string[] {
  const out: string[] = [];
  for (const u of s.urls) {
    const p = parseServiceUrl(u);
    if (p.ok) out.push(...p.service.secrets);
  }
  for (const u of [s.healthchecks, s.uptimeKuma]) if (u) out.push(...secretsOf(new URL(u)), ...new URL(u).pathname.split("/").filter((x) => x.length >= 6));
  return [...new Set(out.filter((x) => x.length >= 4))];
}

/** Every channel of the settings; `smtp` opens SMTP sessions (the daemon's; without it, e-mail URLs always fail). */
export function createChannels(s: NotifySettings, deps: HttpChannelDeps, endpoints: Endpoints = {}, smtp?: SmtpChannelFactory): Channel[] {
  const labels = channelLabels(s.urls);
  const channels: Channel[] = s.urls.flatMap((u, i) => {
    const p = parseServiceUrl(u, endpoints);
    if (!p.ok) return [];
    return [p.service.smtp && smtp ? smtp(p.service, labels[i]!) : createServiceChannel(p.service, labels[i]!, deps)];
  });
  if (s.healthchecks) channels.push(createHeartbeatChannel("healthchecks", s.healthchecks, deps));
  if (s.uptimeKuma) channels.push(createHeartbeatChannel("uptimekuma", s.uptimeKuma, deps));
  return channels;
}
