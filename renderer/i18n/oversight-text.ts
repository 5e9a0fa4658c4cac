// Words for values that arrive as data (rule names, destruction methods,
// staff), shared by the oversight screens.
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../shared/actor';
import type { AlertFacts } from '../../shared/ipc/audit';
import type { ShredMethod, StaffRef } from '../../shared/ipc/ledger';
import { UNMASK_PURPOSES, type UnmaskPurpose } from '../../shared/unmask';
import type { Lang } from '.';
import { zhOversight } from '../../shared/i18n/zh-oversight';

/** Whether `k` names a key of `o`: a string from main may be one we have words for. */
export const hasKey = <T extends object>(o: T, k: string): k is Extract<keyof T, string> => Object.hasOwn(o, k);

/** An audit action in the reader's language; an unknown (newer) action as main named it. */
export function useActionName(): (action: string) => string {
  const { t } = useTranslation();
  return (action) => {
    const key = action.replace(/\./g, '_');
    return hasKey(zhOversight.auditLog.actions, key) ? t(`auditLog.actions.${key}`) : action;
  };
}

/** A role in the reader's language; an unknown one as main named it. */
export function useRoleName(): (role: string) => string {
  const { t } = useTranslation();
  return (role) => ((ROLES as readonly string[]).includes(role) ? t(`role.${role as Role}`) : role);
}

/** An unmask purpose is recorded as "key: English label; note": shown in the reader's language. */
export function purposeText(purpose: string, lang: Lang): string {
  const m = /^([a-z_]+): [^;]*; ([\s\S]*)$/.exec(purpose);
  if (!m || !(m[1] in UNMASK_PURPOSES)) return purpose;
  return `${UNMASK_PURPOSES[m[1] as UnmaskPurpose][lang]} — ${m[2]}`;
}

/** An anomaly rule in the reader's language; an unknown (newer) rule as main named it. */
export function useRuleName(): (rule: string) => string {
  const { t } = useTranslation();
  return (rule) => (hasKey(zhOversight.alerts.rule, rule) ? t(`alerts.rule.${rule}`) : rule);
}

/** What an alert's rule saw, in the reader's language; an unknown (newer) rule's numbers as they are. */
export function useAlertFacts(): (rule: string, facts: AlertFacts) => string {
  const { t } = useTranslation();
  return (rule, { count, limit, minute }) => {
    const time = minute === undefined ? '' : `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    if (hasKey(zhOversight.alerts.facts, rule)) return t(`alerts.facts.${rule}`, { count, limit, time });
    return [count, limit, time].filter((v) => v !== undefined && v !== '').join(' / ');
  };
}

/** "碎纸机 CC-01", "外包销毁 · 证书 X123", "焚烧". */
export function useMethodText(): (m: { method: ShredMethod; deviceId: string | null; certificate: string | null }) => string {
  const { t } = useTranslation();
  return ({ method, deviceId, certificate }) =>
    [t(`ledger.method.${method}`), deviceId, certificate && `${t('ledger.destroy.certificate')} ${certificate}`].filter(Boolean).join(' · ');
}

export const staffText = (s: StaffRef): string => (s.displayName && s.displayName !== s.username ? `${s.displayName}（${s.username}）` : s.username);
