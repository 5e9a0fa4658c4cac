// The notice settings as the sender reads them, from the one settings store,
// and the check a change must pass before it is saved.
import { AppError } from '../../shared/errors';
import type { NotifySettings } from '../../shared/notify';
import { parseOpeningHours } from '../audit/anomaly-rules';
import { overdueRule as overdueRuleOf, type OverdueRule } from '../counter/overdue-cutoff';
import { minuteOfDay } from '../settings/calendar';
import type { SettingKey, Settings } from '../settings/settings';
import type { Queryable } from '../store/engine/store';
import { PROVIDER_IDS, type ProviderId } from './providers/provider';
import { templateFields, type NoticeTemplate } from './template';
import type { NoticeKind } from './outbox';

/** What the sender reads: the settings screen's values, the station's overdue rule and time zone, the templates. */
export type NotifyConfig = Pick<
  NotifySettings,
  'arrival' | 'overdue' | 'overdueDaysBefore' | 'batchSeconds' | 'quietHours' | 'provider' | 'endpoint' | 'signName' | 'ratePerSecond' | 'hours' | 'link'
> & {
  overdueRule: OverdueRule;
  timeZone: string;
  templates: Record<NoticeKind, NoticeTemplate>;
};

export async function notifyConfig(settings: Settings, q: Queryable): Promise<NotifyConfig> {
  const overdueRule = await overdueRuleOf(settings, q);
  const get = <K extends SettingKey>(key: K) => settings.get(q, key);
  const provider = await get('notify.provider');
  return {
    arrival: await get('notify.arrival'),
    overdue: await get('notify.overdue'),
    overdueRule,
    overdueDaysBefore: await get('notify.overdueDaysBefore'),
    batchSeconds: await get('notify.batchSeconds'),
    quietHours: await get('notify.quietHours'),
    timeZone: overdueRule.timeZone,
    provider: (PROVIDER_IDS as readonly string[]).includes(provider) ? (provider as ProviderId) : 'manual',
    endpoint: await get('notify.endpoint'),
    signName: await get('notify.signName'),
    ratePerSecond: await get('notify.ratePerSecond'),
    hours: await get('notify.hours'),
    link: await get('notify.link'),
    templates: {
      arrival: { code: await get('notify.arrivalTemplateCode'), text: await get('notify.arrivalTemplateText') },
      overdue: { code: await get('notify.overdueTemplateCode'), text: await get('notify.overdueTemplateText') },
    },
  };
}

const HOURS = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;

/** Refuses what the sender could not use: an unknown provider, a bad window, a template with anything but station facts. */
export function checkNotifyConfig(c: NotifyConfig): void {
  if (!(PROVIDER_IDS as readonly string[]).includes(c.provider)) throw new AppError('NOTIFY_PROVIDER_UNKNOWN', c.provider);
  if (c.quietHours && !HOURS.test(c.quietHours)) throw new AppError('NOTIFY_QUIET_HOURS_INVALID', c.quietHours);
  if (c.provider === 'webhook' && !/^https?:\/\//.test(c.endpoint)) throw new AppError('INVALID_INPUT', 'endpoint');
  if (c.endpoint && !/^https?:\/\//.test(c.endpoint)) throw new AppError('INVALID_INPUT', 'endpoint');
  if (!(c.ratePerSecond > 0 && c.ratePerSecond <= 1000)) throw new AppError('INVALID_INPUT', 'ratePerSecond');
  if (!(Number.isInteger(c.batchSeconds) && c.batchSeconds >= 0 && c.batchSeconds <= 3600)) throw new AppError('INVALID_INPUT', 'batchSeconds');
  // A carrier with fewer overdue days would get its reminder before, or with, its arrival notice.
  const shortest = Math.min(c.overdueRule.overdueDays, ...Object.values(c.overdueRule.carrierOverdueDays));
  if (!(Number.isInteger(c.overdueDaysBefore) && c.overdueDaysBefore >= 0 && c.overdueDaysBefore < shortest)) throw new AppError('INVALID_INPUT', 'overdueDaysBefore');
  if (c.arrival) templateFields(c.templates.arrival);
  if (c.overdue) templateFields(c.templates.overdue);
}

/** Whether `at` falls in the quiet hours (a window may run past midnight). */
export function inQuietHours(at: Date, quietHours: string, timeZone: string): boolean {
  if (!quietHours) return false;
  const { openFrom: from, openTo: to } = parseOpeningHours(quietHours);
  const m = minuteOfDay(at.getTime(), timeZone);
  return from <= to ? m >= from && m < to : m >= from || m < to;
}
