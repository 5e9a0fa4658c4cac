// One labelled input: label above, optional hint below, and, while its form's
// problem concerns it, marked invalid and tied to the problem region.
import type { InputHTMLAttributes, Ref } from 'react';
import { MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH } from '../../shared/credentials';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'className'>;

export interface FieldProps extends InputProps {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: string;
  ref?: Ref<HTMLInputElement>;
  invalid?: boolean;
  problemId?: string;
  /** Large digits, for a code read off a phone. */
  big?: boolean;
}

export function Field({ id, label, value, onValue, hint, ref, invalid = false, problemId, big, ...input }: FieldProps) {
  const describedBy = [hint && `${id}-hint`, invalid && problemId].filter(Boolean).join(' ');
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        ref={ref}
        id={id}
        className={big ? 'field field-code' : 'field'}
        value={value}
        aria-invalid={invalid}
        aria-describedby={describedBy || undefined}
        onChange={(e) => onValue(e.target.value)}
        {...input}
      />
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
    </>
  );
}

/** A staff username: typed, never guessed by the browser or its spell checker. */
export function UsernameField(props: Omit<FieldProps, 'maxLength'>) {
  return <Field autoComplete="off" spellCheck={false} {...props} maxLength={MAX_USERNAME_LENGTH} />;
}

/** A password (or passphrase) input, capped where main caps it. */
export function PasswordField(props: Omit<FieldProps, 'type' | 'maxLength'>) {
  return <Field {...props} type="password" maxLength={MAX_PASSWORD_LENGTH} />;
}

/** A password being chosen: the browser offers no saved one. */
export function NewPasswordField(props: Omit<FieldProps, 'type' | 'maxLength' | 'autoComplete'>) {
  return <PasswordField {...props} autoComplete="new-password" />;
}

// A Chinese IME may type full-width digits (０–９); the authenticator shows "123 456".
const digitsOnly = (s: string): string =>
  s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\D/g, '');

type DigitsProps = Omit<FieldProps, 'type' | 'inputMode' | 'maxLength' | 'big'> & { kind: 'code' | 'pin' };

/** A 6-digit authenticator code (shown) or a 4–8 digit PIN (hidden). */
export function DigitsField({ kind, onValue, ...rest }: DigitsProps) {
  const max = kind === 'code' ? 6 : 8;
  return (
    <Field
      autoComplete={kind === 'code' ? 'one-time-code' : 'off'}
      spellCheck={false}
      {...rest}
      type={kind === 'pin' ? 'password' : 'text'}
      inputMode="numeric"
      big={kind === 'code'}
      onValue={(v) => onValue(digitsOnly(v).slice(0, max))}
    />
  );
}

type ScanInputProps = Omit<InputProps, 'value'> & Pick<FieldProps, 'id' | 'value' | 'onValue' | 'ref'>;

/** The large input a keyboard-wedge scanner types into (a person may type there too); its label is the screen's own. */
export function ScanInput({ onValue, ...input }: ScanInputProps) {
  return (
    <input
      className="field huge"
      autoComplete="off"
      autoCorrect="off"
      spellCheck={false}
      maxLength={40}
      onChange={(e) => onValue(e.target.value)}
      {...input}
    />
  );
}
