// The operations screen's translate function, checked against
// zh-operations.ts and zh-reports.ts (kept out of i18next's global key type,
// as the lifecycle's and the notices' strings are).
import { useTranslation } from 'react-i18next';
import type { Carrier } from '../../shared/parcel';
import type { OperationsMessages } from '../../shared/i18n/zh-operations';
import type { ReportMessages } from '../../shared/i18n/zh-reports';

type Paths<T> = { [K in keyof T & string]: T[K] extends string ? K : `${K}.${Paths<T[K]>}` }[keyof T & string];

export type OpsKey = Paths<OperationsMessages> | Paths<ReportMessages> | `carrier.${Carrier}` | 'period.from' | 'period.to';

export function useOpsT(): (key: OpsKey, options?: Record<string, unknown>) => string {
  const { t } = useTranslation();
  return t as unknown as (key: OpsKey, options?: Record<string, unknown>) => string;
}
