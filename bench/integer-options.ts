// `--name N` command-line options of the benchmarks whose options are all whole numbers.

/**
 * `defaults` with the values `args` gives (`--key N` pairs). Throws naming the argument and the
 * usage when a key is unknown or a value is not a whole number of at least its minimum
 * (`minimums`, else 1).
 */
export function parseIntegerOptions<T extends Record<string, number>>(args: readonly string[], defaults: T, minimums: Partial<Record<keyof T, number>> = {}): T {
  const options = { ...defaults };
  const usage = Object.keys(defaults).map((key) => `[--${key} N]`).join(' ');
  for (let i = 0; i < args.length; i += 2) {
    const key = args[i]?.replace(/^--/, '') ?? '';
    const value = Number(args[i + 1]);
    if (!(key in options) || !Number.isInteger(value) || value < (minimums[key] ?? 1)) throw new Error(`bad argument ${args[i] ?? ''} (usage: ${usage})`);
    (options as Record<string, number>)[key] = value;
  }
  return options;
}
