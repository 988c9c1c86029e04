// Command-line flags of the server, operator and cluster commands: `--name value` (or `-n value`),
// switches without a value, repeatable flags collected in order; a problem is one usage message.

export interface FlagSpec {
  readonly repeat?: boolean;
  /** A switch: present means 'true', and it takes no value. */
  readonly boolean?: boolean;
}

export type Flags = Record<string, string | string[] | undefined>;

/** Parses `args` against `spec` (flag names without dashes); returns the flags or a usage error. */
export function parseFlags(
  args: readonly string[],
  spec: Readonly<Record<string, FlagSpec>>,
): Flags | string {
  const flags: Flags = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const name = arg.startsWith('--')
      ? arg.slice(2)
      : arg.startsWith('-') && arg.length === 2
        ? arg.slice(1)
        : null;
    if (name === null || !(name in spec)) return `unknown option ${arg}`;
    if (spec[name]?.boolean) {
      flags[name] = 'true';
      continue;
    }
    const value = args[i + 1];
    if (value === undefined) return `missing value for ${arg}`;
    i++;
    if (spec[name]?.repeat) flags[name] = [...((flags[name] as string[] | undefined) ?? []), value];
    else if (flags[name] !== undefined) return `${arg} given twice`;
    else flags[name] = value;
  }
  return flags;
}
