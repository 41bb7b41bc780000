import type { ReactNode } from 'react';
import classes from './CustomerRecordView.module.css';

export interface Fact {
  label: string;
  value: ReactNode;
}

/** A definition list of label / value pairs; values are text children, never HTML. */
export function Facts({ facts, label }: { facts: readonly Fact[]; label?: string }) {
  return (
    <dl className={classes.facts} aria-label={label}>
      {facts.map((fact) => (
        <div key={fact.label} className={classes.fact}>
          <dt>{fact.label}</dt>
          <dd>{fact.value}</dd>
        </div>
      ))}
    </dl>
  );
}
