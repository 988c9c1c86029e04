// A small, non-throwing reader of untrusted input: each read checks a type, applies a default,
// records a problem at its path, and remembers broken paths so later rules can skip them.
import { joinPath, ProblemList } from '../problems.js';

export type Obj = Readonly<Record<string, unknown>>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Text for a value in a message; never throws (`String({ toString: false })` would). */
const MAX_UNKNOWN = 10;

function describeValue(v: unknown): string {
  // Echo at most 64 characters back: a huge value must not make a huge problem.
  if (typeof v === 'string') return v.length > 64 ? `${v.slice(0, 64)}…` : v;
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object' || typeof v === 'function') return 'object';
  return String(v);
}

export class Reader {
  readonly problems = new ProblemList();
  private readonly brokenPaths = new Set<string>();

  /** Records a problem and marks the path broken. */
  fail(
    path: string,
    code: string,
    params: Record<string, string | number | boolean | readonly string[]> = {},
  ) {
    this.problems.add(path, code, params);
    this.brokenPaths.add(path);
  }

  /** True when `path` or any parent or child of it failed to read. */
  broken(path: string): boolean {
    for (const b of this.brokenPaths) {
      if (b === path || path.startsWith(`${b}.`) || path.startsWith(`${b}[`)) return true;
      if (b.startsWith(`${path}.`) || b.startsWith(`${path}[`)) return true;
    }
    return false;
  }

  /** Reads an object; reports fields not in `known` (typos must not pass silently). */
  object(path: string, v: unknown, known: readonly string[], required = false): Obj | undefined {
    if (v === undefined || v === null) {
      if (required) this.fail(path, 'SPEC_REQUIRED');
      return undefined;
    }
    if (!isObject(v)) {
      this.fail(path, 'SPEC_TYPE', { expected: 'object' });
      return undefined;
    }
    // Unknown fields are reported (at most MAX_UNKNOWN per object) but do not mark the object
    // broken: a typo beside a real field must not hide that field's own problems.
    const unknown = Object.keys(v).filter((key) => !known.includes(key));
    for (const key of unknown.slice(0, MAX_UNKNOWN)) {
      const field = describeValue(key);
      this.problems.add(joinPath(path, field), 'SPEC_UNKNOWN_FIELD', { field });
    }
    if (unknown.length > MAX_UNKNOWN)
      this.problems.add(path, 'SPEC_TOO_MANY', { max: MAX_UNKNOWN, count: unknown.length });
    return v;
  }

  string(path: string, v: unknown, fallback: string | undefined, maxLength = 4096): string | undefined {
    if (v === undefined || v === null) {
      if (fallback === undefined) this.fail(path, 'SPEC_REQUIRED');
      return fallback;
    }
    if (typeof v !== 'string') {
      this.fail(path, 'SPEC_TYPE', { expected: 'string' });
      return fallback;
    }
    if (v.length > maxLength) {
      this.fail(path, 'SPEC_TOO_LONG', { max: maxLength });
      return fallback;
    }
    return v;
  }

  optionalString(path: string, v: unknown, maxLength = 4096): string | null {
    if (v === undefined || v === null || v === '') return null;
    return this.string(path, v, '', maxLength) || null;
  }

  boolean(path: string, v: unknown, fallback: boolean): boolean {
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') {
      this.fail(path, 'SPEC_TYPE', { expected: 'boolean' });
      return fallback;
    }
    return v;
  }

  integer(
    path: string,
    v: unknown,
    fallback: number | undefined,
    min: number,
    max: number,
  ): number | undefined {
    if (v === undefined || v === null) {
      if (fallback === undefined) this.fail(path, 'SPEC_REQUIRED');
      return fallback;
    }
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.fail(path, 'SPEC_TYPE', { expected: 'integer' });
      return fallback;
    }
    if (v < min || v > max) {
      this.fail(path, 'SPEC_OUT_OF_RANGE', { min, max, value: v });
      return fallback;
    }
    return v;
  }

  oneOf<T extends string>(
    path: string,
    v: unknown,
    allowed: readonly T[],
    fallback: T | undefined,
  ): T | undefined {
    if (v === undefined || v === null) {
      if (fallback === undefined) this.fail(path, 'SPEC_REQUIRED');
      return fallback;
    }
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.fail(path, 'SPEC_ENUM', { value: describeValue(v), allowed });
      return fallback;
    }
    return v as T;
  }

  /** Reads an array (absent → `[]`), bounding its length and reading each item. */
  array<T>(
    path: string,
    v: unknown,
    max: number,
    item: (itemPath: string, value: unknown) => T | undefined,
  ): T[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.fail(path, 'SPEC_TYPE', { expected: 'array' });
      return [];
    }
    if (v.length > max) {
      this.fail(path, 'SPEC_TOO_MANY', { max, count: v.length });
      return [];
    }
    const out: T[] = [];
    v.forEach((value: unknown, i) => {
      const read = item(joinPath(path, i), value);
      if (read !== undefined) out.push(read);
    });
    return out;
  }
}
