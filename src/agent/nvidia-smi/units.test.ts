// Tests for nvidia-smi value parsing: trimming, sentinels, units and bounds, PCI id normalising.
import { describe, expect, it } from 'vitest';
import {
  formatted,
  integer,
  onOff,
  pciBusId,
  pciDeviceId,
  quantity,
  text,
  wholeQuantity,
  yesNo,
} from './units.js';

const ANY = { min: -1e9, max: 1e9 };

describe('units', () => {
  it.each([
    'N/A',
    '[N/A]',
    'Not Supported',
    '[Not Supported]',
    'Unknown Error',
    '[Unknown Error]',
    '[Requested functionality has been deprecated]',
    'Requested functionality has been deprecated',
    '  n/a  ',
    '',
    '   \n ',
  ])('maps the sentinel %j to null', (s) => {
    expect(text(s)).toBeNull();
    expect(quantity(s, 'MiB', ANY)).toBeNull();
  });

  it('trims and collapses whitespace, including internal newlines, and strips control characters', () => {
    expect(text('\n  NVIDIA\n   H100 \t 80GB\u0000 ')).toBe('NVIDIA H100 80GB');
    expect(text(undefined)).toBeNull();
    expect(text({ '#text': 'x' })).toBeNull();
  });

  it('reads numbers with or without their unit', () => {
    expect(wholeQuantity('81920 MiB', 'MiB', ANY)).toBe(81920);
    expect(wholeQuantity('81920', 'MiB', ANY)).toBe(81920);
    expect(wholeQuantity('\n 81920\n MiB ', 'MiB', ANY)).toBe(81920);
    expect(quantity('66.92 W', 'W', ANY)).toBe(66.92);
    expect(quantity('36 C', 'C', ANY)).toBe(36);
    expect(quantity('7 %', '%', ANY)).toBe(7);
    expect(quantity('1410 MHz', 'MHz', ANY)).toBe(1410);
  });

  it('refuses other units, fractions where whole numbers are due, garbage and out-of-range values', () => {
    expect(quantity('80 GiB', 'MiB', ANY)).toBeNull();
    expect(wholeQuantity('1.5 MiB', 'MiB', ANY)).toBeNull();
    expect(quantity('12abc W', 'W', ANY)).toBeNull();
    expect(quantity('101 %', '%', { min: 0, max: 100 })).toBeNull();
    expect(integer('-1', ANY)).toBeNull();
    expect(integer('99999999999999999999', ANY)).toBeNull();
  });

  it('normalises PCI bus ids to the 8-hex-digit domain form', () => {
    expect(pciBusId('00000000:01:00.0')).toBe('00000000:01:00.0');
    expect(pciBusId('0000:04:00.0')).toBe('00000000:04:00.0');
    expect(pciBusId('00000000:0c:00.0')).toBe('00000000:0C:00.0');
    expect(pciBusId('1:00.0')).toBe('00000000:01:00.0');
    expect(pciBusId('0000:04:00.9')).toBeNull();
    expect(pciBusId('GPU-1')).toBeNull();
  });

  it('normalises PCI device ids', () => {
    expect(pciDeviceId('20B210DE')).toBe('0x20B210DE');
    expect(pciDeviceId('0x233010de')).toBe('0x233010DE');
    expect(pciDeviceId('20B2')).toBeNull();
  });

  it('reads on/off and yes/no, anything else is null', () => {
    expect([onOff('Enabled'), onOff('Disabled'), onOff('[N/A]'), onOff('Pending')]).toEqual([
      'enabled',
      'disabled',
      null,
      null,
    ]);
    expect([yesNo('Yes'), yesNo('No'), yesNo('N/A')]).toEqual([true, false, null]);
  });

  it('keeps only values in the report formats', () => {
    expect(formatted('535.54.03', 'driver-version')).toBe('535.54.03');
    expect(formatted('r535', 'driver-version')).toBeNull();
    expect(formatted('9.0', 'compute-capability')).toBe('9.0');
    expect(formatted('GPU-00000000-0000-0000-0000-000000000000', 'gpu-uuid')).not.toBeNull();
    expect(formatted('GPU-REDACTED', 'gpu-uuid')).toBeNull();
  });
});
