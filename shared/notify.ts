// Pickup notices as main and the renderer both see them: providers, outbox
// states, the settings screen's values. No phone number appears in any of them.
export const PROVIDER_IDS = ['aliyun', 'tencent', 'webhook', 'manual'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'carrier', 'manual', 'opted_out'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export const NOTICE_KINDS = ['arrival', 'overdue'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** The secrets each provider needs, by field name (the settings form asks for these). */
export const PROVIDER_SECRET_FIELDS = {
  aliyun: ['accessKeyId', 'accessKeySecret'],
  tencent: ['secretId', 'secretKey', 'sdkAppId'],
  webhook: ['secret'],
  manual: [],
} as const satisfies Record<ProviderId, readonly string[]>;

export interface NotifySettings {
  arrival: boolean;
  overdue: boolean;
  overdueDaysBefore: number;
  batchSeconds: number;
  quietHours: string;
  provider: ProviderId;
  endpoint: string;
  signName: string;
  ratePerSecond: number;
  hours: string;
  link: string;
  arrivalTemplateCode: string;
  arrivalTemplateText: string;
  overdueTemplateCode: string;
  overdueTemplateText: string;
  /** Providers whose credentials are stored (the secrets never leave main). */
  configured: ProviderId[];
}

/** One notice in the outbox view: what it says and what became of it. */
export interface OutboxItem {
  id: number;
  kind: NoticeKind;
  parcels: number[];
  template: string;
  text: string;
  provider: ProviderId | null;
  status: OutboxStatus;
  code: string | null;
  messageId: string | null;
  attempts: number;
  nextAttemptAt: string;
  createdAt: string;
  updatedAt: string;
  /** When the provider's delivery receipt (status delivered or failed, its reason in `code`) came in; null before. */
  receiptAt: string | null;
}

/** One notice a send pass settled, with the number masked. */
export interface SendReport {
  id: number;
  parcels: number[];
  template: string;
  provider: ProviderId;
  status: OutboxStatus;
  phone: string;
  code: string | null;
  messageId: string | null;
}
