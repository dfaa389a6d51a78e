import type { ReactNode } from 'react';

/** A labelled form control with its error, if any, right under it. */
export function Field(props: { label: string; error?: string | null; children: ReactNode; hint?: string; testId?: string }) {
  return (
    <label className={props.error ? 'field field-invalid' : 'field'}>
      <span className="field-label">{props.label}</span>
      {props.children}
      {props.error ? (
        <span className="field-error" role="alert" data-testid={props.testId ? `${props.testId}-error` : undefined}>{props.error}</span>
      ) : props.hint ? (
        <span className="field-hint">{props.hint}</span>
      ) : null}
    </label>
  );
}
