import type { ReactNode } from 'react';
import type { FieldErrors, PatientForm } from './patient-form';

export * from './patient-form';

export function Field(props: {
  id: keyof PatientForm;
  label: string;
  form: PatientForm;
  errors: FieldErrors;
  onChange: (id: keyof PatientForm, v: string) => void;
  type?: string;
  required?: boolean;
  children?: ReactNode;
  inputMode?: 'numeric' | 'tel' | 'email' | 'text';
}) {
  const { id, label, form, errors, onChange } = props;
  const err = errors[id];
  const common = {
    id: `f-${id}`,
    name: id,
    value: form[id],
    required: props.required,
    'aria-invalid': err ? true : undefined,
    'aria-describedby': err ? `f-${id}-error` : undefined,
  };
  return (
    <div className={err ? 'field invalid' : 'field'}>
      <label htmlFor={`f-${id}`}>{label}</label>
      {props.children ? (
        <select {...common} onChange={(e) => onChange(id, e.target.value)}>
          {props.children}
        </select>
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          inputMode={props.inputMode}
          onChange={(e) => onChange(id, e.target.value)}
        />
      )}
      {err && (
        <span id={`f-${id}-error`} className="error">
          {err}
        </span>
      )}
    </div>
  );
}
