// Field-level problems: what validation returns instead of throwing. A problem names the field
// (path), a stable code and the parameters its bilingual message is rendered from.

export type ParamValue = string | number | boolean | readonly string[];
export type Params = Readonly<Record<string, ParamValue>>;

export interface Problem {
  /** Dotted path with bracketed indices, e.g. `network.vswitches[1].cidr`; `''` is the whole spec. */
  readonly path: string;
  /** Stable UPPER_SNAKE code with an area prefix (`SPEC_`, `NET_`, `QUOTA_`, `BALANCE_` …). */
  readonly code: string;
  readonly params: Params;
}

export function problem(path: string, code: string, params: Params = {}): Problem {
  return { path, code, params };
}

/** FIELD_UNKNOWN for every key of `o` that is not `allowed`; the path is `prefix` + the key (bounded). */
export function unknownFieldProblems(
  o: Readonly<Record<string, unknown>>,
  allowed: readonly string[],
  prefix = '',
): Problem[] {
  return Object.keys(o)
    .filter((k) => !allowed.includes(k))
    .map((k) => problem(`${prefix}${k.slice(0, 64)}`, 'FIELD_UNKNOWN', { field: k.slice(0, 64) }));
}

/** Joins path segments: `join('a', 0, 'b')` → `a[0].b`. */
export function joinPath(...segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (s !== '') out += out === '' ? s : `.${s}`;
  }
  return out;
}

/** Collects problems while rules run; never throws. */
export class ProblemList {
  readonly items: Problem[] = [];
  add(path: string, code: string, params: Params = {}): void {
    this.items.push({ path, code, params });
  }
  push(...problems: readonly Problem[]): void {
    this.items.push(...problems);
  }
  get empty(): boolean {
    return this.items.length === 0;
  }
}
