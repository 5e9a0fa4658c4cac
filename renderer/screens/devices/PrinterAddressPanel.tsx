// A printer named by its address: a USB Printer Class device, a network
// printer (raw TCP, port 9100) or a system print queue, with its language.
// "Find printers" lists what this PC can see (network printers are typed);
// choosing goes through the supervisor's step-up, like a HID device.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PRINTER_LANGUAGES, type FoundPrinter, type PrinterLanguage } from '../../../shared/devices';
import { normaliseDeviceUri } from '../../../shared/printer-uri';
import { DataTable } from '../../components/DataTable';
import { Field, SelectField } from '../../components/Field';
import { useLang } from '../../i18n';
import { useDiscovery } from '../../hooks/use-discovery';
import { knownError, type ProblemData } from '../../components/Problem';

export interface PrinterAddress {
  uri: string;
  language: PrinterLanguage;
}

interface Props {
  /** Asks for the supervisor's code, then chooses the printer. */
  onChoose: (printer: PrinterAddress) => void;
  onProblem: (problem: ProblemData) => void;
  /** The screen's problem region, which names a malformed address. */
  problemId: string;
}

export const languageName = (l: PrinterLanguage): string => (l === 'tspl' ? 'TSPL' : 'ESC/POS');

export function PrinterAddressPanel({ onChoose, onProblem, problemId }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const [uri, setUri] = useState('');
  const [language, setLanguage] = useState<PrinterLanguage>('tspl');
  const [invalid, setInvalid] = useState(false);
  const { find, searched, devices: printers, failures } = useDiscovery<FoundPrinter>('printers.discover', onProblem);

  function submit(e: FormEvent) {
    e.preventDefault();
    const normal = normaliseDeviceUri(uri);
    const ok = normal !== null && !normal.startsWith('serial:');
    setInvalid(!ok);
    if (ok) onChoose({ uri: normal, language });
    else onProblem(knownError('PRINTER_URI_INVALID'));
  }


  return (
    <section className="panel printer-address" aria-labelledby="printer-address-title">
      <h2 id="printer-address-title">{t('devices.address.title')}</h2>
      <p className="muted">{t('devices.address.intro')}</p>
      <form className="printer-address-form" onSubmit={submit} noValidate>
        <div>
          <Field
            id="printer-uri"
            label={t('devices.address.label')}
            hint={t('devices.address.hint')}
            value={uri}
            onValue={(v) => {
              setUri(v);
              setInvalid(false);
            }}
            invalid={invalid}
            problemId={problemId}
            spellCheck={false}
            autoComplete="off"
            maxLength={300}
          />
        </div>
        <div>
          <SelectField id="printer-uri-language" label={t('devices.language')} value={language} onValue={setLanguage} options={PRINTER_LANGUAGES} text={languageName} hint={t('devices.address.languageHint')} />
        </div>
        <div className="printer-address-actions">
          <button type="submit" className="button">
            {t('devices.address.use')}
          </button>
          <button type="button" className="button secondary" onClick={() => void find()}>
            {t('devices.address.find')}
          </button>
        </div>
      </form>
      {searched && printers.length === 0 && <p className="muted">{t('devices.address.none')}</p>}
      {failures.map((f) => (
        <p key={f.kind} className="muted">
          {t(`devices.address.kind.${f.kind}`)}: {f.error.message[lang]}
        </p>
      ))}
      {printers.length > 0 && (
        <DataTable id="found-printers" caption={t('devices.address.foundCaption')} columns={[t('devices.address.kindCol'), t('devices.product'), t('devices.address.label'), t('devices.status'), t('accounts.actions')]}>
          {printers.map((p) => (
            <tr key={p.uri}>
              <td>{t(`devices.address.kind.${p.kind}`)}</td>
              <th scope="row">{[p.maker, p.model].filter(Boolean).join(' ') || '—'}</th>
              <td className="num">{p.uri}</td>
              <td>{p.osDriver ? t('devices.address.osDriver') : (p.state ?? '')}</td>
              <td>
                <button type="button" className="button small" onClick={() => setUri(p.uri)}>
                  {t('devices.address.pick')}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
