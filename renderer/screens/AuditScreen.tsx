// 审计 (supervisors and auditors): the audit log newest first, filtered by
// person, action, days and parcel, paged back with beforeSeq; whether its
// chain is intact; and, for supervisors, a signed export of what is filtered.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../shared/actor';
import { errorMessages } from '../../shared/errors';
import { AUDIT_ACTIONS } from '../../shared/ipc/audit';
import type { AuditAction, AuditEntry, ChainStatus, ChannelInput, UserSummary } from '../../shared/ipc/contract';
import { can } from '../../shared/permissions';
import { DataTable } from '../components/DataTable';
import { SelectField } from '../components/Field';
import { ExportPanel } from '../components/ExportPanel';
import { checkPeriod, PeriodFields, type Period } from '../components/PeriodFields';
import { Problem } from '../components/Problem';
import { RoleChip } from '../components/RoleChip';
import { dayStartIso, formatDateTime } from '../platform/dates';
import { useFormProblem } from '../forms/form-problem';
import { useLang } from '../i18n';
import { zhOversight, type Underscored } from '../../shared/i18n/zh-oversight';
import { localError } from '../i18n/oversight-problem';
import { DETAIL_KEYS, useDetailWord } from '../i18n/audit-detail-t';
import { hasKey, purposeText, useRuleName } from '../i18n/oversight-text';
import { useScreenHeading } from '../hooks/screen-heading';
import { useLoad } from '../hooks/use-load';
import { useInvoke, useSession } from '../app/session';
import type { ScreenProps } from '../app/Workspace';
import '../styles/oversight.css';

const PAGE = 50;

type Query = Omit<ChannelInput<'audit.list'>, 'beforeSeq' | 'limit'>;

interface Filters extends Period {
  person: string;
  action: AuditAction | '';
  parcel: string;
}
const NO_FILTERS: Filters = { person: '', action: '', from: '', to: '', parcel: '' };

interface Person {
  username: string;
  displayName: string | null;
  role: Role | null;
}

/** The action filter's choices: '' is any action. */
const ANY_ACTION: readonly (AuditAction | '')[] = ['', ...AUDIT_ACTIONS];
const actionKey = (a: AuditAction) => a.replace(/\./g, '_') as Underscored<AuditAction>;
const asRole = (r: string | null): Role | null => (ROLES as readonly string[]).includes(r ?? '') ? (r as Role) : null;

export function AuditScreen({ active, focusSignal }: ScreenProps) {
  const { t } = useTranslation();
  const invoke = useInvoke();
  const { user } = useSession();
  const [form, setForm] = useState<Filters>(NO_FILTERS);
  // The page of the log asked for: the newest entries of a search, or those before the last one shown.
  const [page, setPage] = useState<{ query: Query; beforeSeq?: number }>({ query: {} });
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [more, setMore] = useState(false);
  const [people, setPeople] = useState<ReadonlyMap<number, Person>>(new Map());
  const filters = useFormProblem<'from' | 'to' | 'parcel'>('audit-filter-problem');
  const heading = useScreenHeading(active, focusSignal);
  // The filters an export was asked with, kept while the code is typed.
  const exportFilters = useRef<Pick<Query, 'userId' | 'action' | 'parcelId'>>({});

  // Each visit, and each search, reads the log as it is now.
  const list = useLoad('audit.list', active ? { ...page.query, beforeSeq: page.beforeSeq, limit: PAGE } : null, [active, page], (rows) => {
    setEntries((prev) => (page.beforeSeq ? [...(prev ?? []), ...rows] : rows));
    setMore(rows.length === PAGE);
    // Auditors may not list accounts: the person filter offers whoever appears in the log.
    setPeople((prev) => {
      const next = new Map(prev);
      for (const e of rows) {
        if (e.userId !== null && e.username && !next.has(e.userId)) next.set(e.userId, { username: e.username, displayName: null, role: asRole(e.role) });
      }
      return next.size === prev.size ? prev : next;
    });
  });
  const search = (query: Query) => setPage({ query });

  useEffect(() => {
    // A later visit starts again from the newest entries.
    if (!active) setPage((p) => (p.beforeSeq === undefined ? p : { query: p.query }));
  }, [active]);

  const verified = useLoad('audit.verify', active ? {} : null, [active]);
  // Null while checking, and when the check could not run (its problem is shown).
  const chain = verified.loading || verified.problem ? null : (verified.data?.find((c) => c.log === 'audit') ?? null);

  useLoad('accounts.list', active && can(user.role, 'accounts.view') ? {} : null, [active], (users: UserSummary[]) =>
    setPeople((prev) => {
      const next = new Map(prev);
      for (const u of users) next.set(u.id, { username: u.username, displayName: u.displayName, role: u.role });
      return next;
    }),
  );
  const problem = list.problem ?? verified.problem;

  /** The form as a query, or null once its problem is shown. */
  function validQuery(periodRequired: boolean): (Query & { period: Period }) | null {
    const period = { from: form.from, to: form.to };
    const bad = checkPeriod(period, periodRequired);
    if (bad) {
      filters.fail({ error: bad.error }, bad.field);
      return null;
    }
    const parcel = form.parcel.trim();
    if (parcel && !/^[1-9]\d{0,9}$/.test(parcel)) {
      filters.fail({ error: localError((m) => m.auditLog.parcelInvalid) }, 'parcel');
      return null;
    }
    filters.clear();
    return {
      period,
      userId: form.person ? Number(form.person) : undefined,
      action: form.action || undefined,
      parcelId: parcel ? Number(parcel) : undefined,
      from: form.from ? dayStartIso(form.from) : undefined,
      to: form.to ? dayStartIso(form.to, 1) : undefined,
    };
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const q = validQuery(false);
    if (!q) return;
    const { period: _period, ...next } = q;
    search(next);
  }

  function clear() {
    filters.clear();
    setForm(NO_FILTERS);
    search({});
  }

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => setForm((f) => ({ ...f, [key]: value }));
  const personOptions = [...people].sort(([, a], [, b]) => a.username.localeCompare(b.username));

  return (
    <section className="screen" aria-labelledby="audit-title" hidden={!active}>
      <div className="screen-head">
        <h1 id="audit-title" ref={heading} tabIndex={-1}>
          {t('auditLog.title')}
        </h1>
        <ChainBadge chain={chain} onVerify={() => void verified.reload()} />
      </div>
      <p className="lead">{t('auditLog.intro')}</p>

      <form className="filter-panel" onSubmit={submit} noValidate aria-label={t('auditLog.filters')}>
        <div className="filter-grid">
          <div>
            <label htmlFor="audit-person">{t('auditLog.person')}</label>
            <select id="audit-person" className="field" value={form.person} onChange={(e) => set('person', e.target.value)}>
              <option value="">{t('auditLog.anyPerson')}</option>
              {personOptions.map(([id, p]) => (
                <option key={id} value={id}>
                  {p.displayName ? `${p.displayName}（${p.username}）` : p.username}
                </option>
              ))}
            </select>
          </div>
          <div>
            <SelectField
              id="audit-action"
              label={t('auditLog.action')}
              value={form.action}
              onValue={(a) => set('action', a)}
              options={ANY_ACTION}
              text={(a) => (a ? t(`auditLog.actions.${actionKey(a)}`) : t('auditLog.anyAction'))}
            />
          </div>
          <PeriodFields idPrefix="audit" value={form} onValue={(p) => setForm((f) => ({ ...f, ...p }))} field={filters.field} />
          <div>
            <label htmlFor="audit-parcel">{t('auditLog.parcel')}</label>
            <input
              id="audit-parcel"
              className="field"
              inputMode="numeric"
              autoComplete="off"
              value={form.parcel}
              onChange={(e) => set('parcel', e.target.value)}
              aria-invalid={filters.field('parcel').invalid}
              aria-describedby={filters.field('parcel').invalid ? filters.problemId : undefined}
              ref={filters.field('parcel').ref}
            />
          </div>
        </div>
        <Problem id={filters.problemId} problem={filters.problem} />
        <div className="button-row">
          <button type="submit" className="button primary big" aria-disabled={list.loading}>
            {t('auditLog.apply')}
          </button>
          <button type="button" className="button secondary big" onClick={clear}>
            {t('auditLog.clear')}
          </button>
        </div>
      </form>

      <Problem id="audit-problem" problem={problem} />
      {entries === null ? (
        !problem && <p className="muted">{t('auditLog.loading')}</p>
      ) : (
        <AuditTable entries={entries} people={people} />
      )}
      {entries && (
        <div className="list-foot">
          <span className="muted">{more ? t('auditLog.shown', { count: entries.length }) : t('auditLog.end', { count: entries.length })}</span>
          {more && (
            <button
              type="button"
              className="button secondary"
              aria-disabled={list.loading}
              onClick={() => !list.loading && setPage((p) => ({ query: p.query, beforeSeq: entries[entries.length - 1]?.seq }))}
            >
              {t('auditLog.more')}
            </button>
          )}
        </div>
      )}

      {can(user.role, 'audit.export') && (
        <ExportPanel
          kind="audit"
          what={t('auditLog.what')}
          active={active}
          period={() => {
            const q = validQuery(true);
            if (!q) return null;
            exportFilters.current = { userId: q.userId, action: q.action, parcelId: q.parcelId };
            return q.period;
          }}
          run={(format, period, totp) => invoke('audit.export', { format, ...period, totp, ...exportFilters.current })}
          // The export is itself audited (and checkpoints the chain): show both.
          onDone={() => {
            setPage((p) => ({ query: p.query }));
            void verified.reload();
          }}
        />
      )}
    </section>
  );
}

function ChainBadge({ chain, onVerify }: { chain: ChainStatus | null; onVerify: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="chain-badge-row">
      <p role="status" className={chain === null ? 'chain-badge' : chain.ok ? 'chain-badge chain-ok' : 'chain-badge chain-bad'} data-testid="chain-badge">
        {chain === null
          ? t('auditLog.chainChecking')
          : chain.ok
            ? t('auditLog.chainOk', { entries: chain.entries })
            : t('auditLog.chainBad', { seq: chain.firstBadSeq })}
        {chain && !chain.ok && chain.problem && <span className="chain-problem">{chain.problem}</span>}
      </p>
      <button type="button" className="button small" onClick={onVerify}>
        {t('auditLog.verify')}
      </button>
    </div>
  );
}

function AuditTable({ entries, people }: { entries: AuditEntry[]; people: ReadonlyMap<number, Person> }) {
  const { t } = useTranslation();
  const lang = useLang();
  if (entries.length === 0) return <p className="empty-note">{t('auditLog.none')}</p>;
  return (
    <DataTable
      id="audit"
      caption={t('auditLog.caption')}
      className="audit-table"
      tall
      columns={[t('auditLog.time'), t('auditLog.who'), t('auditLog.action'), t('auditLog.purpose'), t('auditLog.parcels'), t('auditLog.workstation'), t('auditLog.detail')]}
    >
      {entries.map((e) => {
        const person = e.userId !== null ? people.get(e.userId) : undefined;
        const role = asRole(e.role);
        return (
          <tr key={e.seq} className={`audit-${actionKey(e.action)}`}>
            <td className="num nowrap">{formatDateTime(e.at, true)}</td>
            <td>
              <span className="who">{person?.displayName ?? e.username ?? t('auditLog.unknownPerson')}</span>
              {person?.displayName && <span className="who-user">{e.username}</span>}
              {role && <RoleChip role={role} />}
            </td>
            <td className="action-cell">{t(`auditLog.actions.${actionKey(e.action)}`)}</td>
            <td>{e.purpose && purposeText(e.purpose, lang)}</td>
            <td className="num">{e.parcelIds.join(', ')}</td>
            <td className="muted">{e.workstation}</td>
            <td>
              <DetailList detail={e.detail} />
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}

const DETAIL_ORDER = (key: string) => {
  const i = DETAIL_KEYS.indexOf(key);
  return i < 0 ? DETAIL_KEYS.length : i;
};

function DetailList({ detail }: { detail: AuditEntry['detail'] }) {
  const { t } = useTranslation();
  const lang = useLang();
  const ruleName = useRuleName();
  const word = useDetailWord();
  const value = (key: string, v: string | number | boolean): string => {
    if (typeof v === 'boolean') return v ? t('auditLog.yes') : t('auditLog.no');
    if (key === 'minute' && typeof v === 'number') return `${String(Math.floor(v / 60)).padStart(2, '0')}:${String(v % 60).padStart(2, '0')}`;
    const s = String(v);
    if (key === 'step' || key === 'scope' || key === 'trigger') return word(key, s) ?? s;
    if (key === 'reason' && hasKey(errorMessages, s)) return errorMessages[s][lang];
    if (key === 'field' && hasKey(zhOversight.auditLog.field, s)) return t(`auditLog.field.${s}`);
    if (key === 'what' && hasKey(zhOversight.auditLog.exportWhat, s)) return t(`auditLog.exportWhat.${s}`);
    if (key === 'rule') return ruleName(s);
    if (key === 'method' && hasKey(zhOversight.ledger.method, s)) return t(`ledger.method.${s}`);
    if ((key === 'by' || key === 'second') && hasKey(zhOversight.auditLog.lookupBy, s)) return t(`auditLog.lookupBy.${s}`);
    if (key === 'how' && hasKey(zhOversight.auditLog.how, s)) return t(`auditLog.how.${s}`);
    return s;
  };
  // The chain stores keys sorted; the dictionary's order reads better. Empty facts are left out.
  const items = Object.entries(detail)
    .filter((item): item is [string, string | number | boolean] => item[1] !== null)
    .sort(([a], [b]) => DETAIL_ORDER(a) - DETAIL_ORDER(b));
  if (items.length === 0) return null;
  return (
    <dl className="detail-list">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{word('key', k) ?? k}</dt>
          <dd>{value(k, v)}</dd>
        </div>
      ))}
    </dl>
  );
}
