import { useTranslation } from 'react-i18next';
import type { Role } from '../../shared/actor';

export function RoleChip({ role }: { role: Role }) {
  const { t } = useTranslation();
  return <span className={`role-chip role-${role}`}>{t(`role.${role}`)}</span>;
}
