// Senders deliver one outbox message. The default writes it to the log (no mail route needed);
// with NOTIFY_API_KEY and template ids configured, GOV.UK Notify sends the email.
import type { FastifyBaseLogger } from 'fastify';
import { NotifyClient } from 'notifications-node-client';
import type { NotifyConfig } from '../platform/config.ts';
import type { NotificationKind } from '../platform/db/schema.ts';

export type OutgoingMessage = {
  id: string;
  kind: NotificationKind;
  email: string;
  personalisation: Record<string, string>;
  reference: string;
};

export type Sender = { name: string; send: (m: OutgoingMessage) => Promise<void> };

/**
 * `showLinks`: in demo mode the link of an account message (sign-up confirmation) is logged too,
 * so a demo or a developer's copy can go on without email. Never otherwise: the link is a secret.
 */
export function logSender(
  log: Pick<FastifyBaseLogger, 'info'>,
  options: { showLinks?: boolean } = {},
): Sender {
  return {
    name: 'log',
    send: (m) => {
      // The address and content stay out of the log: the kind and reference say what was sent.
      const link = options.showLinks && m.kind.startsWith('account-') ? m.personalisation.link : undefined;
      log.info(
        { notification: { id: m.id, kind: m.kind, reference: m.reference, ...(link ? { link } : {}) } },
        'notification (log sender)',
      );
      return Promise.resolve();
    },
  };
}

export function notifySender(config: NotifyConfig): Sender {
  const client = new NotifyClient(config.apiKey);
  return {
    name: 'gov-uk-notify',
    send: async (m) => {
      const template = config.templates[m.kind];
      if (!template) throw new Error(`no GOV.UK Notify template is configured for ${m.kind} messages`);
      await client.sendEmail(template, m.email, {
        personalisation: m.personalisation,
        reference: m.reference,
      });
    },
  };
}
