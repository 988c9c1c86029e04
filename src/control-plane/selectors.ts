// Label selectors (`a=b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x)`) and field selectors
// (`metadata.name=x`) as the API server parses them for `kubectl get -l … / --field-selector …`.

export type Matcher = (values: Readonly<Record<string, string>>) => boolean;

export type Parsed =
  { readonly ok: true; readonly match: Matcher } | { readonly ok: false; readonly error: string };

/** Splits on commas outside parentheses. */
function terms(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

const KEY = String.raw`[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const VALUE = String.raw`([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;

function term(t: string): Matcher | null {
  let m = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`).exec(t);
  if (m) {
    const [key, op, value] = [m[1] ?? '', m[3] ?? '', m[4] ?? ''];
    return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  m = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^()]*)\\)$`).exec(t);
  if (m) {
    const [key, op] = [m[1] ?? '', m[3] ?? ''];
    const set = (m[4] ?? '').split(',').map((v) => v.trim());
    if (!set.every((v) => new RegExp(`^${VALUE}$`).test(v))) return null;
    return op === 'in'
      ? (l) => l[key] !== undefined && set.includes(l[key])
      : (l) => l[key] === undefined || !set.includes(l[key]);
  }
  m = new RegExp(`^(!?)\\s*(${KEY})$`).exec(t);
  if (m) {
    const [not, key] = [m[1] === '!', m[2] ?? ''];
    return (l) => (l[key] !== undefined) !== not;
  }
  return null;
}

export function parseLabelSelector(selector: string | null): Parsed {
  const matchers: Matcher[] = [];
  for (const t of terms(selector ?? '')) {
    const m = term(t);
    if (!m) return { ok: false, error: `unable to parse requirement: ${JSON.stringify(t)}` };
    matchers.push(m);
  }
  return { ok: true, match: (l) => matchers.every((m) => m(l)) };
}

/**
 * Field selectors: only equality and inequality, on the fields `supported` names (the API server
 * refuses any other field with "field label not supported").
 */
export function parseFieldSelector(selector: string | null, supported: readonly string[]): Parsed {
  const matchers: Matcher[] = [];
  for (const t of terms(selector ?? '')) {
    const m = /^([A-Za-z0-9.]+)\s*(==|=|!=)\s*(.*)$/.exec(t);
    if (!m) return { ok: false, error: `invalid selector: '${t}'; can't understand '${t}'` };
    const [field, op, value] = [m[1] ?? '', m[2] ?? '', m[3] ?? ''];
    if (!supported.includes(field)) return { ok: false, error: `field label not supported: ${field}` };
    matchers.push(op === '!=' ? (f) => f[field] !== value : (f) => f[field] === value);
  }
  return { ok: true, match: (f) => matchers.every((m) => m(f)) };
}
