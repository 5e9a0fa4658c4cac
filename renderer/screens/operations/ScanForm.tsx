// The operations views' scan field: the scan bus brings barcodes wherever the
// focus is, but a shelf-layer barcode ("3-2") is too short to be told from
// typing, so a keyboard-mode scanner's must land here and be sent with Enter.
import { useState, type FormEvent } from 'react';
import { ScanInput } from '../../components/Field';
import { useOpsT } from '../../i18n/operations-t';

export function ScanForm({ id, onCode }: { id: string; onCode: (code: string) => void }) {
  const t = useOpsT();
  const [code, setCode] = useState('');
  function submit(e: FormEvent) {
    e.preventDefault();
    setCode('');
    onCode(code);
  }
  return (
    <form className="lookup-form" onSubmit={submit} noValidate>
      <label htmlFor={`${id}-input`} className="lookup-label">
        {t('ops.scanLabel')}
      </label>
      <div className="lookup-row">
        <ScanInput id={`${id}-input`} autoFocus value={code} aria-describedby={`${id}-scan-hint ${id}-problem`} onValue={setCode} />
      </div>
      <p id={`${id}-scan-hint`} className="hint">
        {t('ops.scanHint')}
      </p>
    </form>
  );
}
