// Presentation of visible entries: adds the out-of-range flag to every measurement. Pure.
import type { Measurement } from './model.ts';
import { outOfRange, type VisibleEntry } from './rules.ts';

type Flagged<M> = M & { flag: 'high' | 'low' | null };

export function withFlags(e: VisibleEntry): VisibleEntry {
  const d = e.details;
  if (d.kind !== 'result' && d.kind !== 'value') return e;
  const flag = <M extends Measurement>(m: M): Flagged<M> => ({ ...m, flag: outOfRange(m) });
  return {
    ...e,
    details: {
      ...d,
      measurement: d.measurement ? flag(d.measurement) : null,
      components: d.components.map(flag),
    },
  };
}

export const LEVEL_TEXT = {
  none: 'no record access',
  summary: 'summary information: medicines, allergies and adverse reactions',
  detailed: 'your detailed coded record',
  full: 'your full record, including notes and documents',
} as const;
