// The lifecycle screens' translate function. Their strings are registered at
// run time by i18n/index.ts but kept out of i18next's global key type (adding
// them pushed other screens' template-literal keys past TypeScript's depth
// limit); keys are checked here against zh-lifecycle.ts instead.
import { useTranslation } from 'react-i18next';
import type { ParcelStatus } from '../../shared/parcel';
import type { LifecycleMessages } from '../../shared/i18n/zh-lifecycle';

type Paths<T> = { [K in keyof T & string]: T[K] extends string ? K : `${K}.${Paths<T[K]>}` }[keyof T & string];

export type LcKey = Paths<LifecycleMessages> | `status.${ParcelStatus}` | 'period.from' | 'period.to';

export function useLcT(): (key: LcKey, options?: Record<string, unknown>) => string {
  const { t } = useTranslation();
  return t as unknown as (key: LcKey, options?: Record<string, unknown>) => string;
}
