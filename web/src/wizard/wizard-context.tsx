// The wizard's shared state: the draft spec, which problems are visible (a field the user touched,
// or every field of a step the user tried to leave), and problems the server found with facts.
import { createContext, useContext } from 'react';
import type { ClusterSpec, Problem } from '../../../src/domain/index.js';
import type { ApiProblem } from '../api/client.js';

export interface WizardState {
  readonly draft: ClusterSpec;
  set(path: string, value: unknown): void;
  /** Replace the draft wholesale (for changes that touch several fields at once). */
  update(fn: (d: ClusterSpec) => ClusterSpec, touched?: string): void;
  /** Visible problems shown at the field `fieldPath` (see fields.ts). */
  errorsAt(fieldPath: string): readonly ApiProblem[];
  warningsAt(fieldPath: string): readonly Problem[];
}

export const WizardContext = createContext<WizardState | null>(null);

export function useWizard(): WizardState {
  const w = useContext(WizardContext);
  if (!w) throw new Error('useWizard outside the wizard');
  return w;
}
