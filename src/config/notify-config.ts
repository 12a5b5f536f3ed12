import { ConfigError } from "../core/errors.ts";
import { heartbeatDisplay, heartbeatProblem } from "../notify/heartbeats.ts";
import { parseServiceUrl, splitUrlList } from "../notify/services/catalogue.ts";
import type { NotifySettings } from "../notify/channels.ts";
import { readSecretVariable, type SecretFileReader } from "./secret-file.ts";

/**
 * DDNS_NOTIFY_URLS (or _FILE): shoutrrr URLs, each read and checked now — an unknown service or a malformed URL is a
 * configuration error naming the variable and the URL's position in the list, never quoting the URL (it carries
 * tokens). DDNS_HEALTHCHECKS_URL and DDNS_UPTIMEKUMA_URL (each with a _FILE twin: the URL is the check's key).
 */
export function readNotifySettings(env: Record<string, string | undefined>, read: SecretFileReader): NotifySettings {
  const list = readSecretVariable(env, read, "DDNS_NOTIFY_URLS");
  const urls = list ? splitUrlList(list.value) : [];
  urls.forEach((url, i) => {
    const parsed = parseServiceUrl(url);
    if (!parsed.ok) throw new ConfigError(list!.variable, `${list!.variable}: URL ${i + 1} of ${urls.length} ${parsed.problem}.`);
  });
  const settings: NotifySettings = { urls };
  for (const [name, key] of [["DDNS_HEALTHCHECKS_URL", "healthchecks"], ["DDNS_UPTIMEKUMA_URL", "uptimeKuma"]] as const) {
    const value = readSecretVariable(env, read, name);
    if (!value) continue;
    const problem = heartbeatProblem(value.value);
    if (problem) throw new ConfigError(value.variable, `${value.variable} ${problem}.`);
    settings[key] = value.value;
  }
  return settings;
}

/** The `check` lines: each URL as its service and host, secrets replaced by the marker. */
export function renderNotifySettings(s: NotifySettings): Array<[string, string | undefined]> {
  const shown = s.urls.map((u) => {
    const p = parseServiceUrl(u);
    return p.ok ? p.service.display : "?";
  });
  return [
    ["DDNS_NOTIFY_URLS", shown.length ? shown.join(",") : undefined],
    ["DDNS_HEALTHCHECKS_URL", s.healthchecks ? heartbeatDisplay(s.healthchecks) : undefined],
    ["DDNS_UPTIMEKUMA_URL", s.uptimeKuma ? heartbeatDisplay(s.uptimeKuma) : undefined],
  ];
}
