// 导入清单: a carrier's CSV manifest goes to main as bytes (main decodes it,
// UTF-8 or GB18030); progress arrives as events, then the report.
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppErrorData } from '../../shared/errors';
import type { EventPayloads } from '../../shared/ipc/contract';
import { rowErrorMessages, type ImportReport } from '../../shared/import-report';
import { on } from '../ipc/api';
import { DataTable } from '../components/DataTable';
import { Problem, type ProblemData } from '../components/Problem';
import { useLang } from '../i18n';
import { useInvoke } from '../app/session';
import type { ScreenProps } from '../app/Workspace';

type Progress = EventPayloads['import.progress'];
type Run =
  | { state: 'idle' }
  | { state: 'running'; fileName: string; progress: Progress | null }
  | { state: 'done'; fileName: string; progress: Progress | null; report: ImportReport }
  | { state: 'failed'; fileName: string; progress: Progress | null; error: AppErrorData };

export function ImportScreen({ active, focusSignal }: ScreenProps) {
  const { t } = useTranslation();
  const invoke = useInvoke();
  const lang = useLang();
  const [run, setRun] = useState<Run>({ state: 'idle' });
  const [problem, setProblem] = useState<ProblemData | null>(null);
  const [dropActive, setDropActive] = useState(false);
  const chooseButton = useRef<HTMLButtonElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (active) chooseButton.current?.focus();
  }, [active, focusSignal]);

  const running = run.state === 'running';

  async function importFile(file: File) {
    if (running) return;
    if (!file.name.toLowerCase().endsWith('.csv')) {
      setProblem({ local: 'import.notCsv' });
      return;
    }
    setProblem(null);
    const fileName = file.name;
    setRun({ state: 'running', fileName, progress: null });
    const off = on('import.progress', (p) => {
      if (p.fileName !== fileName) return;
      setRun((r) => (r.state === 'idle' ? r : { ...r, progress: p }));
    });
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const res = await invoke('manifest.import', { fileName, bytes });
      setRun((r) => {
        const progress = r.state === 'idle' ? null : r.progress;
        return res.ok
          ? { state: 'done', fileName, progress, report: res.value }
          : { state: 'failed', fileName, progress, error: res.error };
      });
    } finally {
      off();
      // Choosing the same file again must fire `change` again.
      if (fileInput.current) fileInput.current.value = '';
    }
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDropActive(false);
    const file = e.dataTransfer.files[0];
    if (file) void importFile(file);
  }

  return (
    <section className="screen" aria-labelledby="import-title" hidden={!active}>
      <h1 id="import-title">{t('import.title')}</h1>
      <p className="lead">{t('import.intro')}</p>

      <div
        className={`dropzone${dropActive ? ' drop-active' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = running ? 'none' : 'copy';
          setDropActive(!running);
        }}
        onDragLeave={() => setDropActive(false)}
        onDrop={onDrop}
      >
        <input
          ref={fileInput}
          id="manifest-file"
          type="file"
          accept=".csv,text/csv"
          hidden
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void importFile(file);
          }}
        />
        <button
          ref={chooseButton}
          type="button"
          className="button primary big"
          // aria-disabled, not disabled: a disabled button would drop the focus mid-import.
          aria-disabled={running}
          aria-describedby="import-problem"
          onClick={() => {
            if (!running) fileInput.current?.click();
          }}
        >
          {t('import.choose')}
        </button>
        <span className="drop-hint">{dropActive ? t('import.dropActive') : t('import.dropHere')}</span>
      </div>
      <Problem id="import-problem" problem={problem} />

      {run.state !== 'idle' && <ProgressPanel fileName={run.fileName} progress={run.progress} />}
      {run.state === 'failed' && (
        <div className="import-failed">
          <h2>{t('import.failed')}</h2>
          <Problem id="import-failure" problem={{ error: run.error }} />
        </div>
      )}
      {run.state === 'done' && <Report fileName={run.fileName} report={run.report} lang={lang} />}
    </section>
  );
}

function ProgressPanel({ fileName, progress }: { fileName: string; progress: Progress | null }) {
  const { t } = useTranslation();
  return (
    <div className="progress-panel">
      <p id="import-progress-label" className="progress-title">
        {t('import.progressLabel', { fileName })}
      </p>
      {/* No value until the first event: an indeterminate bar, not a false 0 %. */}
      {progress && progress.total > 0 ? (
        <progress aria-labelledby="import-progress-label" max={progress.total} value={progress.done} />
      ) : (
        <progress aria-labelledby="import-progress-label" />
      )}
      {progress && (
        <p className="progress-status" aria-live="polite">
          <strong>{t(`import.phase.${progress.phase}`)}</strong>{' '}
          {t('import.progressCount', { done: progress.done, total: progress.total })}
        </p>
      )}
    </div>
  );
}

function Report({ fileName, report, lang }: { fileName: string; report: ImportReport; lang: 'zh' | 'en' }) {
  const { t } = useTranslation();
  return (
    <section className="report" aria-labelledby="report-title">
      <h2 id="report-title">{t('import.reportTitle', { fileName })}</h2>
      <dl className="stats">
        <div className="stat stat-ok">
          <dt>{t('import.imported')}</dt>
          <dd data-testid="report-imported">{report.imported}</dd>
        </div>
        <div className="stat">
          <dt>{t('import.skipped')}</dt>
          <dd data-testid="report-skipped">{report.skipped}</dd>
        </div>
        <div className={`stat${report.errors.length ? ' stat-bad' : ''}`}>
          <dt>{t('import.errors')}</dt>
          <dd data-testid="report-errors">{report.errors.length}</dd>
        </div>
      </dl>
      <p className="muted">{t('import.encoding', { encoding: report.encoding.toUpperCase() })}</p>
      {report.errors.length === 0 ? (
        <p className="ok-note">{t('import.noErrors')}</p>
      ) : (
        <DataTable id="row-errors" caption={t('import.errorsCaption')} className="row-errors" columns={[t('import.row'), t('import.reason')]}>
          {report.errors.map((e) => (
            <tr key={`${e.row}-${e.code}`}>
              <td className="num">{e.row}</td>
              <td>{rowErrorMessages[e.code][lang]}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
