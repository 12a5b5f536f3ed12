import type { ParsedService } from "./services/service-types.ts";
import { sendMail, type SmtpWorld } from "./smtp-session.ts";
import type { Channel } from "./types.ts";

/** An `smtp://` URL as a channel: one SMTP session per message (smtp-session.ts). Only the daemon opens sockets. */
export type SmtpChannelFactory = (service: ParsedService, label: string) => Channel;

export function smtpChannelFactory(world: SmtpWorld): SmtpChannelFactory {
  return (service, label) => ({
    label,
    display: service.display,
    kind: "service",
    async send(delivery, signal) {
      if (delivery.kind !== "message" || !service.smtp) return { ok: true };
      return sendMail(service.smtp, delivery.message, world, signal);
    },
  });
}
