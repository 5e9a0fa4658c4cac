// Words for values that arrive as data (rule names, destruction methods,
// staff), shared by the oversight screens.
import { useTranslation } from 'react-i18next';
import type { ShredMethod, StaffRef } from '../../shared/ipc/ledger';
import { zhOversight } from './zh-oversight';

/** Whether `k` names a key of `o`: a string from main may be one we have words for. */
export const hasKey = <T extends object>(o: T, k: string): k is Extract<keyof T, string> => Object.hasOwn(o, k);

/** An anomaly rule in the reader's language; an unknown (newer) rule as main named it. */
export function useRuleName(): (rule: string) => string {
  const { t } = useTranslation();
  return (rule) => (hasKey(zhOversight.alerts.rule, rule) ? t(`alerts.rule.${rule}`) : rule);
}

/** "碎纸机 CC-01", "外包销毁 · 证书 X123", "焚烧". */
export function useMethodText(): (m: { method: ShredMethod; deviceId: string | null; certificate: string | null }) => string {
  const { t } = useTranslation();
  return ({ method, deviceId, certificate }) =>
    [t(`ledger.method.${method}`), deviceId, certificate && `${t('ledger.destroy.certificate')} ${certificate}`].filter(Boolean).join(' · ');
}

export const staffText = (s: StaffRef): string => (s.displayName && s.displayName !== s.username ? `${s.displayName}（${s.username}）` : s.username);
