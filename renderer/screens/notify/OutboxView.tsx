// The outbox: each notice, what it says and what became of it; "send now"
// runs the sender at once instead of waiting for its next pass. Texts for a
// station that sends by hand can be printed, or copied one recipient at a time
// (each copy is audited); no number is ever on this list.
import { useCallback, useEffect, useState } from 'react';
import type { OutboxItem } from '../../../shared/notify';
import { DataTable } from '../../components/DataTable';
import { useInvoke } from '../../app/session';
import { useNotifyT } from '../../i18n/notify-t';
import { formatDateTime } from '../../platform/dates';
import { LcSection } from '../lifecycle/LcSection';

export function OutboxView() {
  const t = useNotifyT();
  const invoke = useInvoke();
  const [items, setItems] = useState<OutboxItem[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await invoke('notify.outbox', {});
    if (r.ok) setItems(r.value);
  }, [invoke]);

  useEffect(() => {
    void load();
  }, [load]);

  async function sendNow() {
    setBusy(true);
    setNotice(null);
    const r = await invoke('notify.drain', {});
    setBusy(false);
    if (r.ok) setNotice(t('notify.sentSummary', { count: r.value.length }));
    await load();
  }

  /** One recipient's text to send by hand: main marks it copied and audits it. */
  async function copy(id: number) {
    const r = await invoke('notify.copy', { id });
    if (!r.ok) return;
    await navigator.clipboard.writeText(r.value.text);
    setNotice(t('notify.copied'));
    await load();
  }

  const manual = items?.some((i) => i.status === 'manual') ?? false;
  return (
    <LcSection id="notify-outbox-title" title={t('notify.viewOutbox')} testId="notify-outbox">
      <div className="button-row">
        <button type="button" className="button primary" onClick={() => void sendNow()} disabled={busy}>
          {busy ? t('notify.sending') : t('notify.sendNow')}
        </button>
        <button type="button" className="button secondary" onClick={() => void load()}>
          {t('notify.refresh')}
        </button>
        {manual && (
          <button type="button" className="button secondary" onClick={() => window.print()}>
            {t('notify.print')}
          </button>
        )}
      </div>
      <p role="status" className="ok-note">
        {notice}
      </p>
      {manual && <p className="muted">{t('notify.manualHint')}</p>}
      {items === null && <p className="muted">{t('notify.loading')}</p>}
      {items?.length === 0 && <p className="muted">{t('notify.empty')}</p>}
      {!!items?.length && (
        <DataTable
          id="notify-outbox-table"
          caption={t('notify.outboxCaption')}
          columns={[t('notify.col.created'), t('notify.col.kind'), { label: t('notify.col.parcels'), className: 'num-col' }, t('notify.col.text'), t('notify.col.status'), t('notify.col.provider'), t('notify.col.code')]}
          tall
        >
          {items.map((i) => (
            <tr key={i.id} data-testid="notify-row">
              <td className="num">{formatDateTime(i.createdAt)}</td>
              <td>{t(`notify.kind.${i.kind}`)}</td>
              <td className="num">{i.parcels.length}</td>
              <td className="notice-text">
                {i.text}
                {i.status === 'manual' && (
                  <button type="button" className="button secondary copy-notice" onClick={() => void copy(i.id)}>
                    {t('notify.copy')}
                  </button>
                )}
              </td>
              <td data-status={i.status}>
                {t(`notify.status.${i.status}`)}
                {i.receiptAt && <span className="muted receipt-at">{t('notify.receiptAt', { time: formatDateTime(i.receiptAt) })}</span>}
              </td>
              <td>{i.provider ? t(`notify.provider.${i.provider}`) : ''}</td>
              <td className="num">{i.code ?? ''}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </LcSection>
  );
}
