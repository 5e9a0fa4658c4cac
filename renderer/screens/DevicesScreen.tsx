// 设备 (supervisors): which USB device is the scanner (HID POS, or a virtual
// COM port) and which the label printer (a HID device, or a printer by
// address: USB Printer Class, network, system queue), a scan test, a test
// page, and the print queue. Choosing or forgetting a device goes with the
// supervisor's fresh code (step-up). HID POS scanners (usage page 0x8C) are
// marked; a keyboard-mode scanner needs no choice at all.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PRINTER_LANGUAGES, type DeviceRole, type HidDeviceInfo, type PrinterLanguage, type PrintJobSummary } from '../../shared/devices';
import type { AppErrorData } from '../../shared/errors';
import type { ScanEvent } from '../../shared/scan';
import type { ChannelInput } from '../../shared/ipc/contract';
import { on } from '../ipc/api';
import { DataTable } from '../components/DataTable';
import { useDeviceWords } from '../components/DeviceIndicator';
import { SelectField } from '../components/Field';
import { Problem, type ProblemData } from '../components/Problem';
import { StepUpDialog } from '../components/StepUpDialog';
import { formatDateTime } from '../platform/dates';
import { useDeviceStatus } from '../state/device-status';
import { useScans } from '../state/scan-bus';
import { useScreenHeading } from '../hooks/screen-heading';
import { useLoad } from '../hooks/use-load';
import { useInvoke } from '../app/session';
import { useLang } from '../i18n';
import { languageName, PrinterAddressPanel, type PrinterAddress } from './devices/PrinterAddressPanel';
import { ScannerPortPanel } from './devices/ScannerPortPanel';
import { HereLabels } from './operations/PrinterLabelsSection';
import type { ScreenProps } from '../app/Workspace';
import '../styles/counter.css';

const POS_USAGE_PAGE = 0x8c;
const REPORT_SIZES = [8, 32, 64] as const;
const JOBS_SHOWN = 30;

interface PrinterOptions {
  language: PrinterLanguage;
  reportSize: number;
  reportId: number;
}

/** What was done, kept as words to look up so it follows a change of language. */
type Notice = { key: 'devices.saved' } | { key: 'devices.reprinted' | 'devices.testPageQueued'; id: number };

type Pending =
  | { kind: 'choose'; role: DeviceRole; device: HidDeviceInfo; printer: PrinterOptions }
  | { kind: 'address'; printer: PrinterAddress }
  | { kind: 'scannerPort'; uri: string }
  | { kind: 'forget'; role: DeviceRole };

function pendingKey(p: Pending): string {
  switch (p.kind) {
    case 'forget':
      return `forget-${p.role}`;
    case 'address':
      return `address-${p.printer.uri}`;
    case 'scannerPort':
      return `port-${p.uri}`;
    case 'choose':
      return `${p.role}-${p.device.path}`;
  }
}

function chooseRequest(p: Pending, totp: string) {
  switch (p.kind) {
    case 'forget':
      return { channel: 'devices.forget', input: { role: p.role, totp } } as const;
    case 'address':
      return { channel: 'devices.chooseUri', input: { role: 'printer', ...p.printer, totp } } as const;
    case 'scannerPort':
      return { channel: 'devices.chooseUri', input: { role: 'scanner', uri: p.uri, totp } } as const;
    case 'choose':
      return { channel: 'devices.choose', input: chooseInput(p, totp) } as const;
  }
}

function chooseInput(p: Extract<Pending, { kind: 'choose' }>, totp: string): ChannelInput<'devices.choose'> {
  // The listing goes back as main gave it; main keeps what identifies the device.
  return p.role === 'scanner' ? { role: 'scanner', ...p.device, totp } : { role: 'printer', ...p.device, ...p.printer, totp };
}

const hex = (n: number | undefined) => (n === undefined ? '—' : `0x${n.toString(16).toUpperCase().padStart(4, '0')}`);
const deviceName = (d: HidDeviceInfo) => d.product ?? `${hex(d.vendorId)}:${hex(d.productId)}`;

export function DevicesScreen({ active, focusSignal }: ScreenProps) {
  const { t } = useTranslation();
  const invoke = useInvoke();
  const { statuses, unavailable, adopt } = useDeviceStatus();
  const words = useDeviceWords();
  const lang = useLang();
  // An action's refusal; a successful read clears it, as a fresh look at the screen.
  const [problem, setProblem] = useState<ProblemData | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const heading = useScreenHeading(active, focusSignal);
  // The last code read while this screen is open: a scanner's test, whichever way it is connected.
  const [lastScan, setLastScan] = useState<ScanEvent | null>(null);
  useScans(active, setLastScan);

  const cleared = () => setProblem(null);
  const listed = useLoad('devices.list', active ? {} : null, [active], cleared);
  const queue = useLoad('print.jobs', active ? { limit: JOBS_SHOWN } : null, [active], cleared);
  const devices = listed.data;
  const jobs = queue.data ?? [];
  const setJobs = queue.setData;

  useEffect(() => {
    if (!active) setPending(null);
  }, [active]);

  // A job's progress, as the printer works through the queue.
  useEffect(
    () =>
      on('print.job', (job) =>
        setJobs((list) => (list?.some((j) => j.id === job.id) ? list.map((j) => (j.id === job.id ? job : j)) : [job, ...(list ?? [])].slice(0, JOBS_SHOWN))),
      ),
    [setJobs],
  );

  async function confirm(totp: string): Promise<AppErrorData | null> {
    if (!pending) return null;
    const { channel, input } = chooseRequest(pending, totp);
    const res = await invoke(channel, input);
    if (!res.ok) return res.error;
    adopt(res.value);
    setPending(null);
    setProblem(null);
    setNotice({ key: 'devices.saved' });
    heading.current?.focus();
    return null;
  }

  async function reprint(jobId: number) {
    const res = await invoke('print.reprint', { jobId });
    if (!res.ok) return setProblem({ error: res.error });
    // The new job reaches the list as a 'print.job' event, already ahead of this reply.
    setNotice({ key: 'devices.reprinted', id: res.value.id });
  }

  async function testPage() {
    const res = await invoke('print.testPage', {});
    if (!res.ok) return setProblem({ error: res.error });
    setNotice({ key: 'devices.testPageQueued', id: res.value.id });
  }

  function describe(p: Pending): string {
    if (p.kind === 'forget') return t(p.role === 'scanner' ? 'devices.action.forgetScanner' : 'devices.action.forgetPrinter');
    if (p.kind === 'address') return t('devices.action.printerAddress', { uri: p.printer.uri, language: languageName(p.printer.language) });
    if (p.kind === 'scannerPort') return t('devices.action.scannerAddress', { uri: p.uri });
    return t(`devices.action.${p.role}`, { name: deviceName(p.device) });
  }

  const chosenPath = (role: DeviceRole) => statuses[role]?.device?.path;

  return (
    <section className="screen" aria-labelledby="devices-title" hidden={!active}>
      <div className="screen-head">
        <h1 id="devices-title" ref={heading} tabIndex={-1}>
          {t('devices.title')}
        </h1>
        <button type="button" className="button secondary" onClick={() => void Promise.all([listed.reload(), queue.reload()])}>
          {t('devices.refresh')}
        </button>
      </div>
      <p className="lead">{t('devices.intro')}</p>
      <Problem id="devices-problem" problem={listed.problem ?? queue.problem ?? problem ?? (unavailable && { error: unavailable })} />
      <p role="status" className="ok-note">
        {notice && (notice.key === 'devices.saved' ? t(notice.key) : t(notice.key, { id: notice.id }))}
      </p>
      {pending && (
        <StepUpDialog key={pendingKey(pending)} action={describe(pending)} onConfirm={confirm} onCancel={() => setPending(null)}>
          {pending.kind === 'choose' && pending.role === 'printer' && (
            <PrinterFields value={pending.printer} onChange={(printer) => setPending({ ...pending, printer })} />
          )}
        </StepUpDialog>
      )}

      <div className="device-cards">
        {(['scanner', 'printer'] as const).map((role) => {
          const s = statuses[role];
          const { text, tone } = words(role, s);
          return (
            <section key={role} className={`panel device-card tone-${tone}`} aria-labelledby={`device-card-${role}`}>
              <h2 id={`device-card-${role}`}>{t(`devices.${role}`)}</h2>
              <p className="device-state">
                <span className="device-dot" aria-hidden="true" /> {text}
              </p>
              {s?.device && (
                <p className="muted" translate="no">
                  {deviceName(s.device)}
                </p>
              )}
              {s?.uri && <p className="muted num" translate="no">{s.uri}</p>}
              {s?.error && s.state !== 'error' && <p className="muted">{s.error.message[lang]}</p>}
              {role === 'scanner' && <ScanTest scan={lastScan} />}
              {role === 'printer' && (s?.device || s?.uri) && <HereLabels active={active} />}
              <div className="row-actions">
                {role === 'printer' && (s?.device || s?.uri) && (
                  <button type="button" className="button small" onClick={() => void testPage()}>
                    {t('devices.testPage')}
                  </button>
                )}
                {(s?.device || s?.uri) && (
                  <button type="button" className="button small" onClick={() => setPending({ kind: 'forget', role })}>
                    {t('devices.forget')}
                  </button>
                )}
              </div>
            </section>
          );
        })}
      </div>

      <PrinterAddressPanel onChoose={(printer) => setPending({ kind: 'address', printer })} onProblem={setProblem} problemId="devices-problem" />
      <ScannerPortPanel onChoose={(uri) => setPending({ kind: 'scannerPort', uri })} onProblem={setProblem} />

      <h2 className="section-title">{t('devices.listTitle')}</h2>
      {devices && devices.length === 0 && <p className="muted">{t('devices.empty')}</p>}
      {devices && devices.length > 0 && (
        <DataTable id="devices" caption={t('devices.listCaption')} columns={[t('devices.product'), t('devices.ids'), t('devices.usage'), t('accounts.actions')]}>
          {devices.map((d) => {
            const pos = d.usagePage === POS_USAGE_PAGE;
            const nameId = `device-${d.path}`;
            return (
              <tr key={d.path} className={pos ? 'row-pos' : undefined}>
                <th scope="row" id={nameId}>
                  <span translate="no">{deviceName(d)}</span>
                  {pos && <span className="badge badge-info">{t('devices.posScanner')}</span>}
                  {(['scanner', 'printer'] as const).map(
                    (role) => chosenPath(role) === d.path && <span key={role} className="badge badge-ok">{`${t('devices.chosen')}${t(`devices.${role}`)}`}</span>,
                  )}
                </th>
                <td className="num">{`${hex(d.vendorId)} / ${hex(d.productId)}`}</td>
                <td className="num">{hex(d.usagePage)}</td>
                <td>
                  <div className="row-actions">
                    <button
                      type="button"
                      className={pos ? 'button small suggested' : 'button small'}
                      aria-describedby={nameId}
                      onClick={() => setPending({ kind: 'choose', role: 'scanner', device: d, printer: DEFAULT_PRINTER })}
                    >
                      {t('devices.chooseScanner')}
                    </button>
                    <button
                      type="button"
                      className="button small"
                      aria-describedby={nameId}
                      onClick={() => setPending({ kind: 'choose', role: 'printer', device: d, printer: DEFAULT_PRINTER })}
                    >
                      {t('devices.choosePrinter')}
                    </button>
                  </div>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}

      <h2 className="section-title">{t('devices.jobsTitle')}</h2>
      {/* What the printer last said (busy, paper out …): why the queue moves or waits. */}
      <p className="muted" data-testid="queue-printer">
        {t('devices.queuePrinter', { state: words('printer', statuses.printer).text })}
      </p>
      {jobs.length === 0 ? <p className="muted">{t('devices.jobsEmpty')}</p> : <JobTable jobs={jobs} onReprint={(id) => void reprint(id)} />}
    </section>
  );
}

function ScanTest({ scan }: { scan: ScanEvent | null }) {
  const { t } = useTranslation();
  return (
    // A live region of its own, not a second status: the screen's status line says what was done.
    <p className="scan-test" aria-live="polite" data-testid="scan-test">
      {scan ? (
        <>
          <span className="num" translate="no">
            {t('devices.scanTest.last', { code: scan.code })}
          </span>{' '}
          <span className="badge badge-info">{t(`devices.scanTest.source.${scan.source}`)}</span>
        </>
      ) : (
        <span className="muted">{t('devices.scanTest.waiting')}</span>
      )}
    </p>
  );
}

const DEFAULT_PRINTER: PrinterOptions = { language: 'tspl', reportSize: 64, reportId: 0 };

function PrinterFields({ value, onChange }: { value: PrinterOptions; onChange: (v: PrinterOptions) => void }) {
  const { t } = useTranslation();
  return (
    <div className="printer-fields">
      <div>
        <SelectField
          id="printer-language"
          label={t('devices.language')}
          autoFocus
          value={value.language}
          onValue={(language) => onChange({ ...value, language })}
          options={PRINTER_LANGUAGES}
          text={languageName}
        />
      </div>
      <div>
        <label htmlFor="printer-report-size">{t('devices.reportSize')}</label>
        <select id="printer-report-size" className="field" value={value.reportSize} onChange={(e) => onChange({ ...value, reportSize: Number(e.target.value) })}>
          {REPORT_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="printer-report-id">{t('devices.reportId')}</label>
        <input
          id="printer-report-id"
          className="field"
          type="number"
          min={0}
          max={255}
          value={value.reportId}
          onChange={(e) => onChange({ ...value, reportId: Math.max(0, Math.min(255, Math.trunc(Number(e.target.value) || 0))) })}
        />
      </div>
    </div>
  );
}

function JobTable({ jobs, onReprint }: { jobs: PrintJobSummary[]; onReprint: (id: number) => void }) {
  const { t } = useTranslation();
  return (
    <DataTable
      id="jobs"
      caption={t('devices.jobsCaption')}
      columns={[
        t('devices.job'),
        t('devices.createdAt'),
        t('devices.format'),
        t('devices.status'),
        { label: t('devices.attempts'), className: 'num-col' },
        t('devices.lastError'),
        t('accounts.actions'),
      ]}
    >
      {jobs.map((j) => (
        <tr key={j.id}>
          <th scope="row" className="num">
            {j.id}
          </th>
          <td className="num">{formatDateTime(j.createdAt)}</td>
          <td>{j.format.toUpperCase()}</td>
          <td className={`job-${j.status}`}>{t(`devices.jobStatus.${j.status}`)}</td>
          <td className="num num-col">{j.attempts}</td>
          <td className="muted">{j.lastError ?? ''}</td>
          <td>
            <button type="button" className="button small" onClick={() => onReprint(j.id)}>
              {t('devices.reprint')}
            </button>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
