// 账户管理 (supervisors): who may work at this station, and in which role.
// Every change goes with the supervisor's fresh authenticator code, asked in
// the step-up dialog; main checks the role, the code and "not your own
// account" again, and its refusals are shown as they come.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../shared/actor';
import { errorMessages, type AppErrorData } from '../../shared/errors';
import type { ChannelInput, UserSummary } from '../../shared/ipc/contract';
import { DataTable } from '../components/DataTable';
import { DigitsField, Field, NewPasswordField, SelectField, UsernameField } from '../components/Field';
import { knownError, Problem } from '../components/Problem';
import { RoleChip } from '../components/RoleChip';
import { StepUpDialog } from '../components/StepUpDialog';
import { useFormProblem } from '../forms/form-problem';
import { useScreenHeading } from '../hooks/screen-heading';
import { useLoad } from '../hooks/use-load';
import { useInvoke, useSession } from '../app/session';
import { isPin, isUsername, MIN_PASSWORD_LENGTH } from '../forms/validate';
import type { ScreenProps } from '../app/Workspace';

type Change = { kind: 'role'; role: Role } | { kind: 'disable' | 'enable' | 'unlock' | 'resetTotp' } | { kind: 'password' | 'pin'; value: string };
type NewAccount = Omit<ChannelInput<'accounts.create'>, 'totp'>;
type Pending = { kind: 'create'; account: NewAccount } | { kind: 'update'; user: UserSummary; change: Change };

function updateInput(change: Change): Omit<ChannelInput<'accounts.update'>, 'userId' | 'totp'> {
  switch (change.kind) {
    case 'role':
      return { role: change.role };
    case 'disable':
      return { disabled: true };
    case 'enable':
      return { disabled: false };
    case 'unlock':
      return { clearLockout: true };
    case 'resetTotp':
      return { resetTotp: true };
    case 'password':
      return { password: change.value };
    case 'pin':
      return { pin: change.value };
  }
}

/** A new password or PIN that main would refuse, refused here before a code is spent on it. */
function weakSecret(change: Change): AppErrorData | null {
  if (change.kind === 'password' && change.value.length < MIN_PASSWORD_LENGTH) return { code: 'WEAK_PASSWORD', message: errorMessages.WEAK_PASSWORD };
  if (change.kind === 'pin' && !isPin(change.value)) return { code: 'WEAK_PIN', message: errorMessages.WEAK_PIN };
  return null;
}

export function AccountsScreen({ active, focusSignal }: ScreenProps) {
  const { t } = useTranslation();
  const invoke = useInvoke();
  const { user: me } = useSession();
  const [pending, setPending] = useState<Pending | null>(null);
  const [notice, setNotice] = useState<{ key: 'accounts.created' | 'accounts.updated'; name: string } | null>(null);
  // Bumped on each account created: the create form starts again empty.
  const [created, setCreated] = useState(0);
  const heading = useScreenHeading(active, focusSignal);
  // Where the focus goes back to when the dialog closes.
  const returnTo = useRef<HTMLElement | null>(null);

  const { data: users, problem, reload } = useLoad('accounts.list', active ? {} : null, [active]);

  // A half-done change does not wait on a hidden screen.
  useEffect(() => {
    if (!active) setPending(null);
  }, [active]);

  function ask(p: Pending) {
    if (!pending) returnTo.current = document.activeElement as HTMLElement | null;
    setNotice(null);
    setPending(p);
  }

  function close(focus: HTMLElement | null) {
    setPending(null);
    returnTo.current = null;
    (focus?.isConnected ? focus : heading.current)?.focus();
  }

  async function confirm(totp: string): Promise<AppErrorData | null> {
    if (!pending) return null;
    const weak = pending.kind === 'update' ? weakSecret(pending.change) : null;
    if (weak) return weak;
    const res =
      pending.kind === 'create'
        ? await invoke('accounts.create', { ...pending.account, totp })
        : await invoke('accounts.update', { userId: pending.user.id, ...updateInput(pending.change), totp });
    if (!res.ok) return res.error;
    setNotice({ key: pending.kind === 'create' ? 'accounts.created' : 'accounts.updated', name: res.value.displayName });
    if (pending.kind === 'create') setCreated((n) => n + 1);
    // Done: the focus goes to the heading, above the announced result.
    close(null);
    void reload();
    return null;
  }

  function describe(p: Pending): string {
    if (p.kind === 'create') return t('stepUp.action.create', { name: p.account.displayName, role: t(`role.${p.account.role}`) });
    return t(`stepUp.action.${p.change.kind}`, { name: p.user.displayName });
  }

  return (
    <section className="screen" aria-labelledby="accounts-title" hidden={!active}>
      <h1 id="accounts-title" ref={heading} tabIndex={-1}>
        {t('accounts.title')}
      </h1>
      <p className="lead">{t('accounts.intro')}</p>
      {pending && (
        <StepUpDialog
          key={pending.kind === 'create' ? 'create' : `${pending.user.id}:${pending.change.kind}`}
          action={describe(pending)}
          onConfirm={confirm}
          onCancel={() => close(returnTo.current)}
        >
          {pending.kind === 'update' && CHOICES.has(pending.change.kind) ? <ChangeChoice pending={pending} onChange={(change) => setPending({ ...pending, change })} /> : null}
        </StepUpDialog>
      )}
      <p role="status" className="ok-note">
        {notice && t(notice.key, { name: notice.name })}
      </p>
      <Problem id="accounts-problem" problem={problem} />
      {users ? (
        <UserTable users={users} me={me.username} onAsk={ask} />
      ) : (
        !problem && <p className="muted">{t('accounts.loading')}</p>
      )}
      <CreateAccount key={created} users={users ?? []} onAsk={ask} />
    </section>
  );
}

const CHOICES: ReadonlySet<Change['kind']> = new Set(['role', 'password', 'pin']);

/** What a change needs besides the code (the new role, password or PIN); shown only for those, so otherwise the code field takes the focus. */
function ChangeChoice({ pending, onChange }: { pending: Extract<Pending, { kind: 'update' }>; onChange: (change: Change) => void }) {
  const { t } = useTranslation();
  const { change } = pending;
  switch (change.kind) {
    case 'role':
      return <RoleSelect id="stepup-role" label={t('accounts.newRole')} autoFocus value={change.role} onRole={(role) => onChange({ kind: 'role', role })} />;
    case 'password':
      return <NewPasswordField id="stepup-password" label={t('accounts.newPassword')} autoFocus value={change.value} onValue={(value) => onChange({ kind: 'password', value })} />;
    case 'pin':
      return <DigitsField kind="pin" id="stepup-pin" label={t('accounts.newPin')} autoFocus value={change.value} onValue={(value) => onChange({ kind: 'pin', value })} />;
    default:
      return null;
  }
}

function UserTable({ users, me, onAsk }: { users: UserSummary[]; me: string; onAsk: (p: Pending) => void }) {
  const { t } = useTranslation();
  return (
    <DataTable
      id="accounts"
      caption={t('accounts.listCaption')}
      className="accounts"
      columns={[t('accounts.name'), t('accounts.username'), t('accounts.role'), t('accounts.totp'), t('accounts.status'), t('accounts.actions')]}
    >
      {users.map((u) => {
        const own = u.username === me;
        const ask = (change: Change) => onAsk({ kind: 'update', user: u, change });
        const state = u.disabled ? 'disabled' : u.locked ? 'locked' : 'active';
        const nameId = `account-${u.id}-name`;
        return (
          <tr key={u.id} className={`account-${state}`}>
            <th scope="row" id={nameId} className="account-name">
              {u.displayName}
              {own && <span className="you">{t('accounts.you')}</span>}
            </th>
            <td className="num">{u.username}</td>
            <td>
              <RoleChip role={u.role} />
            </td>
            <td>{u.totpEnrolled ? t('accounts.enrolled') : t('accounts.notEnrolled')}</td>
            <td className={`state state-${state}`}>{t(`accounts.${state}`)}</td>
            <td>
              {/* Nobody changes their own role or status: main refuses it, so it is not offered. */}
              <div className="row-actions">
                {!own && (
                  <button
                    type="button"
                    className="button small"
                    aria-describedby={nameId}
                    // Offered with another role already chosen: the current one would spend a code on nothing.
                    onClick={() => ask({ kind: 'role', role: ROLES.find((r) => r !== u.role) ?? u.role })}
                  >
                    {t('accounts.changeRole')}
                  </button>
                )}
                {!own && (
                  <button type="button" className="button small" aria-describedby={nameId} onClick={() => ask({ kind: u.disabled ? 'enable' : 'disable' })}>
                    {u.disabled ? t('accounts.enable') : t('accounts.disable')}
                  </button>
                )}
                {!own && u.locked && (
                  <button type="button" className="button small" aria-describedby={nameId} onClick={() => ask({ kind: 'unlock' })}>
                    {t('accounts.unlock')}
                  </button>
                )}
                {!own && (
                  <button type="button" className="button small" aria-describedby={nameId} onClick={() => ask({ kind: 'password', value: '' })}>
                    {t('accounts.resetPassword')}
                  </button>
                )}
                {!own && u.totpEnrolled && (
                  <button type="button" className="button small" aria-describedby={nameId} onClick={() => ask({ kind: 'pin', value: '' })}>
                    {t('accounts.resetPin')}
                  </button>
                )}
                {u.totpEnrolled && (
                  <button type="button" className="button small" aria-describedby={nameId} onClick={() => ask({ kind: 'resetTotp' })}>
                    {t('accounts.resetTotp')}
                  </button>
                )}
              </div>
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}

type CreateField = 'username' | 'displayName' | 'password';

function CreateAccount({ users, onAsk }: { users: UserSummary[]; onAsk: (p: Pending) => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('clerk');
  const [password, setPassword] = useState('');
  const form = useFormProblem<CreateField>('create-problem');

  function submit(e: FormEvent) {
    e.preventDefault();
    const name = username.trim();
    if (!isUsername(name)) return form.fail({ local: 'form.usernameInvalid' }, 'username');
    if (users.some((u) => u.username === name)) return form.fail(knownError('USER_EXISTS'), 'username');
    if (!displayName.trim()) return form.fail({ local: 'form.displayNameRequired' }, 'displayName');
    if (password.length < MIN_PASSWORD_LENGTH) return form.fail(knownError('WEAK_PASSWORD'), 'password');
    form.clear();
    onAsk({ kind: 'create', account: { username: name, displayName: displayName.trim(), role, password } });
  }

  return (
    <section className="create-account" aria-labelledby="create-title">
      <h2 id="create-title">{t('accounts.createTitle')}</h2>
      <form onSubmit={submit} noValidate>
        <div className="create-grid">
          <div>
            <UsernameField id="create-username" label={t('accounts.username')} value={username} onValue={setUsername} {...form.field('username')} />
          </div>
          <div>
            <Field id="create-name" label={t('accounts.name')} autoComplete="off" maxLength={32} value={displayName} onValue={setDisplayName} {...form.field('displayName')} />
          </div>
          <div>
            <RoleSelect id="create-role" label={t('accounts.role')} value={role} onRole={setRole} />
          </div>
          <div>
            <NewPasswordField id="create-password" label={t('accounts.initialPassword')} value={password} onValue={setPassword} {...form.field('password')} />
          </div>
        </div>
        <Problem id={form.problemId} problem={form.problem} />
        <button type="submit" className="button primary big">
          {t('accounts.create')}
        </button>
      </form>
    </section>
  );
}

interface RoleSelectProps {
  id: string;
  label: string;
  value: Role;
  onRole: (role: Role) => void;
  autoFocus?: boolean;
}

function RoleSelect({ id, label, value, onRole, autoFocus }: RoleSelectProps) {
  const { t } = useTranslation();
  return <SelectField id={id} label={label} autoFocus={autoFocus} value={value} onValue={onRole} options={ROLES} text={(r) => t(`role.${r}`)} />;
}
