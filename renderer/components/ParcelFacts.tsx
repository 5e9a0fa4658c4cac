// The pieces every counter screen shows of a parcel: its pickup code, where it
// sits, and the masked projection main sent. Nothing here ever holds more.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MaskedParcel } from '../../shared/parcel';

/** Shelf and layer from a pickup code ("3-2-1024": shelf 3, layer 2). */
export function slotOfCode(pickupCode: string | null): { shelf: string; layer: string } | null {
  const m = pickupCode ? /^([^-\s]+)-([^-\s]+)-\d+$/.exec(pickupCode) : null;
  return m ? { shelf: m[1], layer: m[2] } : null;
}

export function ShelfSlot({ shelf, layer }: { shelf: number | string | null; layer: number | string | null }) {
  const { t } = useTranslation();
  if (shelf === null || layer === null) return null;
  return <span className="shelf-slot">{t('parcel.slot', { shelf, layer })}</span>;
}

/** The code, huge, with its label (for screen readers only where the code's shape says enough); `size` picks how huge; `children` go under it. */
export function PickupCode({ code, size = 'big', quietLabel = false, children }: { code: string | null; size?: 'big' | 'huge'; quietLabel?: boolean; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="code-block">
      <span className={quietLabel ? 'visually-hidden' : 'code-label'}>{t('lookup.pickupCode')}</span>
      {code ? (
        <span className={`pickup-code ${size === 'huge' ? 'pickup-code-huge' : ''}`} data-testid="pickup-code">
          {code}
        </span>
      ) : (
        <span className="pickup-code none">{t('lookup.noPickupCode')}</span>
      )}
      {children}
    </div>
  );
}

/** Masked name, phone and address, item, carrier and waybill. */
export function MaskedFacts({ parcel: p }: { parcel: MaskedParcel }) {
  const { t } = useTranslation();
  return (
    <dl className="parcel-facts">
      <div className="fact">
        <dt>{t('lookup.name')}</dt>
        <dd className="masked">{p.name}</dd>
      </div>
      <div className="fact">
        <dt>{t('lookup.phone')}</dt>
        <dd className="masked num">{p.phone}</dd>
      </div>
      <div className="fact wide">
        <dt>{t('lookup.address')}</dt>
        <dd className="masked">{p.address}</dd>
      </div>
      <div className="fact">
        <dt>{t('lookup.item')}</dt>
        <dd>{t(`item.${p.item}`)}</dd>
      </div>
      <div className="fact">
        <dt>{t('lookup.carrier')}</dt>
        <dd>{t(`carrier.${p.carrier}`)}</dd>
      </div>
      <div className="fact wide">
        <dt>{t('lookup.waybill')}</dt>
        <dd className="num">{p.waybillNo}</dd>
      </div>
    </dl>
  );
}
