// Value parsing for nvidia-smi output: trims and un-wraps text, maps the `N/A`-style sentinels to
// null, and reads numbers with units (`81920 MiB`, `66.92 W`, `36 C`, `7 %`) inside given bounds.
import { GPU_REPORT_LIMITS, matchesFormat } from '../../domain/gpu/index.js';
import type { GpuReportFormat, OnOff, Range } from '../../domain/gpu/index.js';

/** Values nvidia-smi prints instead of a reading, compared case-insensitively, brackets optional. */
const SENTINELS: ReadonlySet<string> = new Set([
  'n/a',
  'not supported',
  'unknown error',
  'requested functionality has been deprecated',
  'insufficient permissions',
  'gpu is lost',
  'not available',
  'not found',
  'unknown',
]);

// Control characters other than whitespace never belong in a value; whitespace runs become a space.
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f]/g;
const WHITESPACE = /\s+/g;

/** Trimmed text with internal newlines and runs of spaces collapsed; null for sentinels and empty. */
export function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const cleaned = value.replace(CONTROL, '').replace(WHITESPACE, ' ').trim();
  if (cleaned === '' || isSentinel(cleaned)) return null;
  return cleaned;
}

export function isSentinel(cleaned: string): boolean {
  const bare = cleaned.startsWith('[') && cleaned.endsWith(']') ? cleaned.slice(1, -1).trim() : cleaned;
  return SENTINELS.has(bare.toLowerCase());
}

/** Text cut to the report's string limit. */
export function boundedText(value: unknown): string | null {
  const t = text(value);
  return t === null ? null : t.slice(0, GPU_REPORT_LIMITS.maxString);
}

export function within(n: number | null, range: Range): number | null {
  return n !== null && Number.isFinite(n) && n >= range.min && n <= range.max ? n : null;
}

const DECIMAL = /^([+-]?\d+(?:\.\d+)?)$/;

/**
 * A number with an optional unit: `quantity('81920 MiB', 'MiB')` → 81920, `quantity('81920', 'MiB')`
 * → 81920 (CSV `nounits`), `quantity('80 GiB', 'MiB')` → null (a unit we do not expect).
 */
export function quantity(value: unknown, unit: string, range: Range): number | null {
  const t = text(value);
  if (t === null) return null;
  const lower = t.toLowerCase();
  const u = unit.toLowerCase();
  const bare = lower.endsWith(u) ? lower.slice(0, -u.length).trim() : lower;
  const m = DECIMAL.exec(bare);
  return m?.[1] === undefined ? null : within(Number(m[1]), range);
}

/** A whole number of the given unit (memory in MiB, temperatures, counts). */
export function wholeQuantity(value: unknown, unit: string, range: Range): number | null {
  const n = quantity(value, unit, range);
  return n !== null && Number.isInteger(n) ? n : null;
}

/** A plain non-negative integer (`pid`, `index`, instance ids). */
export function integer(value: unknown, range: Range): number | null {
  const t = text(value);
  return t !== null && /^\d{1,16}$/.test(t) ? within(Number(t), range) : null;
}

/** `Enabled`/`Disabled` (any case) → 'enabled'/'disabled'; anything else → null. */
export function onOff(value: unknown): OnOff | null {
  const t = text(value)?.toLowerCase();
  if (t === 'enabled') return 'enabled';
  if (t === 'disabled') return 'disabled';
  return null;
}

/** `Yes`/`No` → true/false; anything else → null. */
export function yesNo(value: unknown): boolean | null {
  const t = text(value)?.toLowerCase();
  if (t === 'yes') return true;
  if (t === 'no') return false;
  return null;
}

const PCI_BUS_ID = /^(?:0x)?(?:([0-9a-f]{1,8}):)?([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i;

/** `0000:04:00.0`, `00000000:0c:00.0` or `04:00.0` → `00000000:04:00.0` (upper-case hex). */
export function pciBusId(value: unknown): string | null {
  const t = text(value);
  const m = t === null ? null : PCI_BUS_ID.exec(t);
  if (m === null) return null;
  const [, domain = '0', bus = '', device = '', fn = ''] = m;
  const hex = (s: string, width: number): string => s.toUpperCase().padStart(width, '0');
  return `${hex(domain, 8)}:${hex(bus, 2)}:${hex(device, 2)}.${fn}`;
}

/** `20B210DE` or `0x20b210de` → `0x20B210DE`. */
export function pciDeviceId(value: unknown): string | null {
  const m = /^(?:0x)?([0-9a-f]{8})$/i.exec(text(value) ?? '');
  return m?.[1] === undefined ? null : `0x${m[1].toUpperCase()}`;
}

/** Text that matches one of the report's formats (driver version, compute capability …), else null. */
export function formatted(value: unknown, format: GpuReportFormat): string | null {
  const t = boundedText(value);
  return t !== null && matchesFormat(t, format) ? t : null;
}
