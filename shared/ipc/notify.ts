// Channels: pickup notices (settings, credentials, template preview, the outbox, opt-outs).
import { z } from 'zod';
import { NOTICE_KINDS, OUTBOX_STATUSES, PROVIDER_IDS, type NotifySettings, type OutboxItem, type SendReport } from '../notify';
import { empty, totpCode } from './common';

const text = (max: number) => z.string().trim().max(max);
const template = z.object({ code: text(40), text: text(300) }).strict();

export const notifyChannels = {
  'notify.settings.get': empty,
  'notify.settings.update': z
    .object({
      arrival: z.boolean().optional(),
      overdue: z.boolean().optional(),
      overdueDaysBefore: z.number().int().min(0).max(30).optional(),
      batchSeconds: z.number().int().min(0).max(3600).optional(),
      quietHours: text(11).optional(),
      provider: z.enum(PROVIDER_IDS).optional(),
      endpoint: text(300).optional(),
      signName: text(20).optional(),
      ratePerSecond: z.number().positive().max(1000).optional(),
      hours: text(40).optional(),
      link: text(60).optional(),
      arrivalTemplateCode: text(40).optional(),
      arrivalTemplateText: text(300).optional(),
      overdueTemplateCode: text(40).optional(),
      overdueTemplateText: text(300).optional(),
      totp: totpCode,
    })
    .strict(),
  'notify.credentials.set': z
    .object({ provider: z.enum(PROVIDER_IDS), secrets: z.record(z.string().max(40), z.string().trim().min(1).max(200)), totp: totpCode })
    .strict(),
  'notify.preview': z.object({ kind: z.enum(NOTICE_KINDS), template }).strict(),
  'notify.outbox': z.object({ status: z.enum(OUTBOX_STATUSES).optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
  'notify.drain': empty,
  /** A notice to send by hand: its text, for one recipient, copied by a clerk. */
  'notify.copy': z.object({ id: z.number().int().positive() }).strict(),
  'notify.optOut': z.object({ phone: z.string().trim().min(3).max(32), optOut: z.boolean() }).strict(),
  'notify.optOut.status': z.object({ phone: z.string().trim().min(3).max(32) }).strict(),
} as const;

export interface NotifyOutputs {
  'notify.settings.get': NotifySettings;
  'notify.settings.update': NotifySettings;
  'notify.credentials.set': NotifySettings;
  'notify.preview': { text: string; params: [string, string][] };
  'notify.outbox': OutboxItem[];
  'notify.drain': SendReport[];
  'notify.copy': { text: string };
  'notify.optOut': { optedOut: boolean; since: string | null };
  'notify.optOut.status': { optedOut: boolean; since: string | null };
}
