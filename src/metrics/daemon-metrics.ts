import { Registry, type Counter, type Gauge, type Histogram } from "./registry.ts";

/**
 * Every metric the daemon exports, created in one place so that names and label sets stay consistent.
 * Names the contract fixes: ddns_build_info, ddns_ip_detections_total, ddns_ip_changes_total,
 * ddns_record_updates_total, ddns_record_last_success_timestamp_seconds, ddns_records_managed,
 * process_resident_memory_bytes, process_start_time_seconds. Addresses are never labels.
 */
export interface DaemonMetrics {
  registry: Registry;
  detections: Counter; // {family, result}
  detectionSeconds: Histogram; // {family}
  ipChanges: Counter; // {family}
  ipDetectionFailing: Gauge; // {family}
  ipFamilyAvailable: Gauge; // {family}
  ipFamilyRequired: Gauge; // {family}
  recordUpdates: Counter; // {type, result}
  recordLastSuccess: Gauge; // {record, type}, and {target} first when there are several targets
  recordFailing: Gauge; // {record, type}, and {target} first when there are several targets
  recordsManaged: Gauge;
  recordsNotOwned: Gauge; // {type}, and {target} first when there are several targets
  providerRequests: Counter; // {provider, outcome}, and {target} first when there are several targets
  rounds: Counter; // {result}
  stateWrites: Counter; // {result}
  shutdownSeconds: Gauge;
  httpRequests: Counter; // {route, code}: route is one of the served paths or "other", never the raw path
  logLinesDropped: Counter;
  notifications: Counter; // {channel, result}: sent, failed, dropped
}

export interface MetricsDeps {
  version: string;
  runtime: string;
  startTimeSeconds: number;
  /** Resident memory in bytes (process.memoryUsage().rss or the runtime's equivalent). */
  rss: () => number;
  /** Log lines dropped so far because stdout was not being read (the log's bounded writer); 0 when absent. */
  logLinesDropped?: () => number;
}

export function createDaemonMetrics(deps: MetricsDeps): DaemonMetrics {
  const r = new Registry();
  r.gauge("ddns_build_info", "Build information; the value is always 1.").set(1, { version: deps.version, runtime: deps.runtime });
  const rss = r.gauge("process_resident_memory_bytes", "Resident memory size in bytes.");
  r.gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.").set(deps.startTimeSeconds);
  r.collect(() => rss.set(deps.rss()));
  const logLinesDropped = r.counter("ddns_log_lines_dropped_total", "Log lines dropped because stdout was not being read fast enough.");
  logLinesDropped.inc({}, 0);
  r.collect(() => logLinesDropped.inc({}, (deps.logLinesDropped?.() ?? 0) - logLinesDropped.get()));
  return {
    registry: r,
    detections: r.counter("ddns_ip_detections_total", "IP address detections by family and result (ok, failed)."),
    detectionSeconds: r.histogram("ddns_ip_detection_duration_seconds", "Time taken to detect an address.", [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]),
    ipChanges: r.counter("ddns_ip_changes_total", "Detected address changes by family."),
    ipDetectionFailing: r.gauge("ddns_ip_detection_failing", "1 while the last detection of the family failed, else 0."),
    ipFamilyAvailable: r.gauge("ddns_ip_family_available", "1 while the family's address is known: detected since start and the last detection succeeded; else 0."),
    ipFamilyRequired: r.gauge("ddns_ip_family_required", "1 when the family holds readiness back (set in DDNS_IP_VERSIONS, or detected since start); 0 for a default family never detected."),
    recordUpdates: r.counter("ddns_record_updates_total", "Record reconciliations by type and result (created, updated, unchanged, planned, failed)."),
    recordLastSuccess: r.gauge("ddns_record_last_success_timestamp_seconds", "Unix time of the last confirmation that the record holds the current address."),
    recordFailing: r.gauge("ddns_record_failing", "1 while the last attempt for the record failed, else 0."),
    recordsManaged: r.gauge("ddns_records_managed", "Number of records (name and type) the daemon manages."),
    recordsNotOwned: r.gauge("ddns_records_not_owned", "Records beside the daemon's own, left alone as not its own at the last read (DDNS_MANAGED_RECORDS_COMMENT_REGEX, DDNS_OWNER_ID)."),
    providerRequests: r.counter("ddns_provider_requests_total", "Requests to the DNS provider by outcome (ok, error, rate-limited, timeout)."),
    rounds: r.counter("ddns_rounds_total", "Detect-and-reconcile rounds by result (ok, partial, failed)."),
    stateWrites: r.counter("ddns_state_writes_total", "State store writes by result (ok, failed)."),
    shutdownSeconds: r.gauge("ddns_last_shutdown_duration_seconds", "Duration of the last graceful shutdown (set while shutting down)."),
    httpRequests: r.counter("ddns_http_requests_total", "Requests to the HTTP endpoints by route (page, healthz, readyz, metrics, status, other) and status code."),
    logLinesDropped,
    notifications: r.counter("ddns_notifications_total", "Notifications and heartbeats by channel and result (sent, failed, dropped)."),
  };
}
