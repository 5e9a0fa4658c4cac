// The notice screen's translate function, checked against zh-notify.ts (its
// strings stay out of i18next's global key type, as the lifecycle's do).
import { useTranslation } from 'react-i18next';
import type { NotifyMessages } from '../../shared/i18n/zh-notify';

type Paths<T> = { [K in keyof T & string]: T[K] extends string ? K : `${K}.${Paths<T[K]>}` }[keyof T & string];

export type NotifyKey = Paths<NotifyMessages>;

export function useNotifyT(): (key: NotifyKey, options?: Record<string, unknown>) => string {
  const { t } = useTranslation();
  return t as unknown as (key: NotifyKey, options?: Record<string, unknown>) => string;
}
