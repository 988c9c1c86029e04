// M47 login password rules as ECS states them: 8–30 characters from letters, digits and the
// allowed specials, with at least three of the four character classes.

export const PASSWORD_SPECIALS = "()`~!@#$%^&*-_+=|{}[]:;'<>,.?/";

export interface PasswordCheck {
  readonly length: number;
  readonly classes: number;
  /** Characters outside the allowed set, each listed once. */
  readonly invalidChars: readonly string[];
}

export function checkPassword(password: string): PasswordCheck {
  let lower = false;
  let upper = false;
  let digit = false;
  let special = false;
  const invalid = new Set<string>();
  for (const ch of password) {
    if (ch >= 'a' && ch <= 'z') lower = true;
    else if (ch >= 'A' && ch <= 'Z') upper = true;
    else if (ch >= '0' && ch <= '9') digit = true;
    else if (PASSWORD_SPECIALS.includes(ch)) special = true;
    else invalid.add(ch === ' ' ? '␠' : ch);
  }
  return {
    length: [...password].length,
    classes: [lower, upper, digit, special].filter(Boolean).length,
    invalidChars: [...invalid],
  };
}
