// Tests for redactSpec (M47 secrets): every path in SECRET_PATHS is hidden, nothing else changes,
// the original is untouched, and no password survives anywhere in the redacted copy.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactSpec } from './redact.js';
import { check, spec, usePassword, valueAt } from './spec-fixtures.js';
import { SECRET_PATHS } from './types.js';

describe('M47 redactSpec', () => {
  const password = 'Secret#Pa55word';
  const withPassword = () => check(spec(usePassword(password))).spec;

  it('M47 redaction: SECRET_PATHS names both password fields', () => {
    expect([...SECRET_PATHS].sort()).toEqual(['workers.login.password', 'workers.login.passwordConfirm']);
  });

  it.each([...SECRET_PATHS])('M47 redaction: %s is hidden', (path) => {
    const original = withPassword();
    expect(valueAt(original, path)).toBe(password);
    expect(valueAt(redactSpec(original), path)).toBe(REDACTED);
  });

  it('M47 redaction: nothing but the secrets changes, and the original keeps its password', () => {
    const original = withPassword();
    const before = JSON.stringify(original);
    const redacted = redactSpec(original);
    expect(JSON.stringify(original)).toBe(before);
    expect(redacted).toEqual({
      ...original,
      workers: {
        ...original.workers,
        login: { type: 'password', password: REDACTED, passwordConfirm: REDACTED },
      },
    });
  });

  it('M47 redaction: a key-pair spec has no secret and is returned as is', () => {
    const keyPair = check(spec()).spec;
    expect(redactSpec(keyPair)).toEqual(keyPair);
    for (const path of SECRET_PATHS) expect(valueAt(redactSpec(keyPair), path)).toBeUndefined();
  });

  it('M47 redaction: even a mistyped confirmation is hidden', () => {
    const s = check(spec(usePassword(password, 'typo-of-the-secret'))).spec;
    expect(JSON.stringify(redactSpec(s))).not.toContain('typo-of-the-secret');
  });

  it('M47 redaction: no password of any shape survives in the redacted JSON', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 30 }), fc.string({ maxLength: 30 }), (pw, confirm) => {
        const s = check(spec(usePassword(`\u0001${pw}`, `\u0002${confirm}`))).spec;
        const json = JSON.stringify(redactSpec(s));
        expect(json).not.toContain(JSON.stringify(`\u0001${pw}`).slice(1, -1));
        expect(json).not.toContain(JSON.stringify(`\u0002${confirm}`).slice(1, -1));
        for (const path of SECRET_PATHS) expect(valueAt(redactSpec(s), path)).toBe(REDACTED);
      }),
      { numRuns: 100 },
    );
  });
});
