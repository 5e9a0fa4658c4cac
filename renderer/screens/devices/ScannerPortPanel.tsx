// A scanner in USB virtual COM mode: "Find serial ports" lists the ports with
// USB ids (a motherboard's COM port has none), and choosing one goes through
// the supervisor's step-up like any device. Its scans then join the others.
import { useTranslation } from 'react-i18next';
import type { FoundScanner } from '../../../shared/devices';
import { DataTable } from '../../components/DataTable';
import type { ProblemData } from '../../components/Problem';
import { useDiscovery } from '../../hooks/use-discovery';
import { useLang } from '../../i18n';

interface Props {
  /** Asks for the supervisor's code, then chooses the scanner. */
  onChoose: (uri: string) => void;
  onProblem: (problem: ProblemData) => void;
}

export function ScannerPortPanel({ onChoose, onProblem }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const { find, searched, devices: ports, failures } = useDiscovery<FoundScanner>('scanners.discover', onProblem);

  return (
    <section className="panel scanner-ports" aria-labelledby="scanner-ports-title">
      <h2 id="scanner-ports-title">{t('devices.serialPort.title')}</h2>
      <p className="muted">{t('devices.serialPort.intro')}</p>
      <button type="button" className="button secondary" onClick={() => void find()}>
        {t('devices.serialPort.find')}
      </button>
      {searched && ports.length === 0 && failures.length === 0 && <p className="muted">{t('devices.serialPort.none')}</p>}
      {failures.map((f) => (
        <p key={f.kind} className="muted">
          {t('devices.address.kind.serial')}: {f.error.message[lang]}
        </p>
      ))}
      {ports.length > 0 && (
        <DataTable id="found-scanners" caption={t('devices.serialPort.caption')} columns={[t('devices.product'), t('devices.serialPort.port'), t('devices.serialPort.uri'), t('accounts.actions')]}>
          {ports.map((p) => (
            <tr key={p.uri}>
              <th scope="row">{p.maker ?? '—'}</th>
              <td className="num" translate="no">
                {p.path}
              </td>
              <td className="num" translate="no">
                {p.uri}
              </td>
              <td>
                <button type="button" className="button small" onClick={() => onChoose(p.uri)}>
                  {t('devices.serialPort.choose')}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
