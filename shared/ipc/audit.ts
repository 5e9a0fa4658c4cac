// Channels: purpose-bound unmasking, the audit log and anomaly alerts.
import { z } from 'zod';
import { UNMASK_FIELDS, UNMASK_PURPOSES, type UnmaskField, type UnmaskResult } from '../unmask';
import { ANOMALY_LIMITS, isOpeningHours, type AnomalyLimit, type AnomalySettings } from '../anomaly-settings';
import { empty, pin, totpCode, username } from './common';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/);

export const AUDIT_ACTIONS = [
  'parcels.view', 'parcels.unmask', 'manifest.import', 'label.print', 'export', 'auth.login', 'auth.login_failed',
  'auth.logout', 'auth.resume', 'accounts.create', 'accounts.update', 'settings.change', 'anomaly.alert',
  'anomaly.review', 'counter.scan_in', 'counter.handover', 'counter.handover_undo', 'counter.return', 'ledger.record',
  'lifecycle', 'auth.approval_failed', 'notify.send', 'notify.opt_out', 'stocktake', 'parcels.move', 'day.close', 'handover.photo_view',
  'handover.photo',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const auditChannels = {
  'parcels.unmask': z
    .object({
      parcelId: z.number().int().positive(),
      field: z.enum(UNMASK_FIELDS),
      purpose: z.enum(Object.keys(UNMASK_PURPOSES) as [keyof typeof UNMASK_PURPOSES, ...(keyof typeof UNMASK_PURPOSES)[]]),
      /** Free text; the form reminds the clerk not to write the customer's data here. */
      note: z.string().trim().min(2).max(200),
      /** A clerk needs a supervisor's approval on the spot. */
      approval: z.object({ username, pin, totp: totpCode }).strict().optional(),
      /** A supervisor confirms with their own code. */
      totp: totpCode.optional(),
    })
    .strict(),
  'audit.list': z
    .object({
      userId: z.number().int().positive().optional(),
      action: z.enum(AUDIT_ACTIONS).optional(),
      from: isoDate.optional(),
      to: isoDate.optional(),
      parcelId: z.number().int().positive().optional(),
      beforeSeq: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .strict(),
  'audit.verify': empty,
  'anomaly.list': z.object({ openOnly: z.boolean() }).strict(),
  'anomaly.review': z.object({ alertId: z.number().int().positive(), note: z.string().trim().min(2).max(500), totp: totpCode }).strict(),
  'anomaly.settings.get': empty,
  'anomaly.settings.update': z
    .object({
      ...(Object.fromEntries(Object.entries(ANOMALY_LIMITS).map(([k, [min, max]]) => [k, z.number().int().min(min).max(max).optional()])) as Record<AnomalyLimit, z.ZodOptional<z.ZodNumber>>),
      openingHours: z.string().refine(isOpeningHours).optional(),
      totp: totpCode,
    })
    .strict(),
} as const;

export interface AuditEntry {
  seq: number;
  at: string;
  action: AuditAction;
  userId: number | null;
  username: string | null;
  role: string | null;
  workstation: string;
  purpose: string | null;
  parcelIds: number[];
  detail: Record<string, string | number | boolean | null>;
}

/** What an anomaly rule saw: how many against its limit, or the local minute of day (outside hours). */
export interface AlertFacts {
  count?: number;
  limit?: number;
  minute?: number;
}

export interface AnomalyAlert {
  id: number;
  rule: string;
  username: string | null;
  createdAt: string;
  facts: AlertFacts;
  reviewedAt: string | null;
  reviewNote: string | null;
}

export interface ChainStatus {
  log: string;
  ok: boolean;
  entries: number;
  /** When not ok: the first entry that can no longer be trusted, and how. */
  firstBadSeq?: number;
  problem?: string;
}

export interface AuditOutputs {
  'parcels.unmask': UnmaskResult;
  'audit.list': AuditEntry[];
  'audit.verify': ChainStatus[];
  'anomaly.list': AnomalyAlert[];
  'anomaly.review': AnomalyAlert;
  'anomaly.settings.get': AnomalySettings;
  'anomaly.settings.update': AnomalySettings;
}

export interface AuditEvents {
  'anomaly.alert': AnomalyAlert;
}

export type { UnmaskField };
