import type { Message } from "../types.ts";

/**
 * A notification service in shoutrrr's URL format (https://containrrr.dev/shoutrrr/): its scheme, how its URL is
 * read and checked at start, and the requests one message becomes. Each service file is written from shoutrrr's
 * docs/services/<name>.md and pkg/services/<name>/ (v0.8, read 2026-12-02), so a URL pasted from favonia's
 * SHOUTRRR or ddns-updater's SHOUTRRR_ADDRESSES sends what shoutrrr would send.
 */
export interface ServiceRequest {
  method: "GET" | "POST" | "PUT";
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** What came back from one request: 2xx text, or why not (`transient` failures are retried once). */
export type CallResult = { ok: true; status: number; text: string } | { ok: false; problem: string; transient: boolean; status?: number };

export type Call = (request: ServiceRequest) => Promise<CallResult>;

/** A URL read and checked: where it goes (display), what must never be shown (secrets) and how to send. */
export interface ParsedService {
  scheme: string;
  /** The service and its host only: `ntfy://ntfy.example.com/[REDACTED]`. */
  display: string;
  /** Tokens, passwords, webhook paths: redacted from every line. */
  secrets: string[];
  /** smtp only: the session's settings (the channel is an SMTP session, not HTTP requests). */
  smtp?: SmtpSettings;
  /** Sends one message: one or several requests through `call`; undefined when accepted, else the problem. */
  deliver(message: Message, call: Call): Promise<CallResult>;
}

export type ParseResult = { ok: true; service: ParsedService } | { ok: false; problem: string };

/** Origins of the services with a fixed host (tests point them at local fakes). */
export type Endpoints = Partial<Record<"discord" | "slack" | "slackHooks" | "telegram" | "pushover", string>>;

export interface ServiceDefinition {
  scheme: string;
  /** The URL form, for error messages and docs: `ntfy://[user:password@]host/topic`. */
  form: string;
  parse(url: URL, endpoints: Endpoints): ParseResult;
}

/** An `smtp://` URL read (services/smtp.ts): where and how the session goes (smtp-session.ts). */
export interface SmtpSettings {
  host: string;
  port: number;
  username: string;
  password: string;
  from: string;
  fromName: string;
  to: string[];
  subject?: string;
  auth: "none" | "plain";
  implicitTls: boolean;
  startTls: boolean;
  clientHost: string;
}
