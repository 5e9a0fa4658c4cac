// One labelled control: label above, optional hint below, and, while its
// form's problem concerns it, marked invalid and tied to the problem region.
// Inputs (Field and its kinds), text areas and selects share that layout.
import type { InputHTMLAttributes, ReactNode, Ref } from 'react';
import { MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH } from '../../shared/credentials';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'className'>;

interface Labelled {
  id: string;
  label: string;
  hint?: string;
  invalid?: boolean;
  problemId?: string;
}

type Aria = { 'aria-invalid': boolean; 'aria-describedby': string | undefined };

function LabelledControl({ id, label, hint, invalid = false, problemId, control }: Labelled & { control: (aria: Aria) => ReactNode }) {
  const describedBy = [hint && `${id}-hint`, invalid && problemId].filter(Boolean).join(' ');
  return (
    <>
      <label htmlFor={id}>{label}</label>
      {control({ 'aria-invalid': invalid, 'aria-describedby': describedBy || undefined })}
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
    </>
  );
}

export interface FieldProps extends InputProps, Labelled {
  value: string;
  onValue: (value: string) => void;
  ref?: Ref<HTMLInputElement>;
  /** Large digits, for a code read off a phone. */
  big?: boolean;
}

export function Field({ id, label, value, onValue, hint, ref, invalid, problemId, big, ...input }: FieldProps) {
  return (
    <LabelledControl
      {...{ id, label, hint, invalid, problemId }}
      control={(aria) => (
        <input ref={ref} id={id} className={big ? 'field field-code' : 'field'} value={value} {...aria} onChange={(e) => onValue(e.target.value)} {...input} />
      )}
    />
  );
}

interface TextAreaProps extends Labelled {
  value: string;
  onValue: (value: string) => void;
  ref?: Ref<HTMLTextAreaElement>;
  rows: number;
  maxLength: number;
}

/** Free text over several lines (a description, a root cause). */
export function TextAreaField({ id, label, value, onValue, hint, ref, invalid, problemId, rows, maxLength }: TextAreaProps) {
  return (
    <LabelledControl
      {...{ id, label, hint, invalid, problemId }}
      control={(aria) => <textarea ref={ref} id={id} className="field" rows={rows} maxLength={maxLength} value={value} {...aria} onChange={(e) => onValue(e.target.value)} />}
    />
  );
}

interface SelectProps<V extends string> extends Labelled {
  value: V;
  onValue: (value: V) => void;
  /** The choices, in order, and the words for each. */
  options: readonly V[];
  text: (option: V) => string;
  autoFocus?: boolean;
}

/** One of a fixed list of choices. */
export function SelectField<V extends string>({ id, label, value, onValue, options, text, hint, invalid, problemId, autoFocus }: SelectProps<V>) {
  return (
    <LabelledControl
      {...{ id, label, hint, invalid, problemId }}
      control={(aria) => (
        <select id={id} className="field" autoFocus={autoFocus} value={value} {...aria} onChange={(e) => onValue(e.target.value as V)}>
          {options.map((o) => (
            <option key={o} value={o}>
              {text(o)}
            </option>
          ))}
        </select>
      )}
    />
  );
}

interface RadioProps<V extends string> {
  /** The radios' shared name. */
  name: string;
  legend: string;
  value: V;
  onValue: (value: V) => void;
  options: readonly V[];
  text: (option: V) => string;
  /** The fieldset's layout class. */
  className: string;
}

/** One of a few choices, all in sight: a fieldset of radios. */
export function RadioChoice<V extends string>({ name, legend, value, onValue, options, text, className }: RadioProps<V>) {
  return (
    <fieldset className={className}>
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o} className="choice">
          <input type="radio" name={name} value={o} checked={value === o} onChange={() => onValue(o)} />
          {text(o)}
        </label>
      ))}
    </fieldset>
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
