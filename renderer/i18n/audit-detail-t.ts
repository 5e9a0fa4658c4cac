// Words for an audit entry's detail (see zh-audit-detail.ts): a key, a
// lifecycle step, a settings area or what started a step, looked up by the
// name main recorded; null when the locale files have none.
import { useTranslation } from 'react-i18next';
import { hasKey } from './oversight-text';
import { zhAuditDetail } from '../../shared/i18n/zh-audit-detail';

type Group = keyof (typeof zhAuditDetail)['auditDetail'];

/** Key order for display: the dictionary's, which reads better than the chain's sorted keys. */
export const DETAIL_KEYS: readonly string[] = Object.keys(zhAuditDetail.auditDetail.key);

export function useDetailWord(): (group: Group, name: string) => string | null {
  const { t } = useTranslation();
  const say = t as unknown as (key: string) => string;
  return (group, name) => {
    // Dotted names ("purge.dry_run") are kept underscored: i18next reads a dot as nesting.
    const key = name.replace(/\./g, '_');
    return hasKey(zhAuditDetail.auditDetail[group], key) ? say(`auditDetail.${group}.${key}`) : null;
  };
}
