// The provider the settings name, with its sealed credentials opened.
import { AppError } from '../../../shared/errors';
import { AliyunSms } from './aliyun';
import { ManualSms } from './manual';
import type { ProviderConfig, ProviderId, ProviderSecrets, SmsProvider } from './provider';
import { TencentSms } from './tencent';
import { WebhookSms } from './webhook';

export function makeProvider<P extends ProviderId>(id: P, secrets: ProviderSecrets[P] | null, config: ProviderConfig): SmsProvider {
  if (id === 'manual') return new ManualSms();
  if (!secrets) throw new AppError('NOTIFY_CREDENTIALS_MISSING', id);
  switch (id) {
    case 'aliyun':
      return new AliyunSms(secrets as ProviderSecrets['aliyun'], config);
    case 'tencent':
      return new TencentSms(secrets as ProviderSecrets['tencent'], config);
    case 'webhook':
      return new WebhookSms(secrets as ProviderSecrets['webhook'], config);
    default:
      throw new AppError('NOTIFY_PROVIDER_UNKNOWN', id);
  }
}
