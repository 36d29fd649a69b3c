/**
 * Commands as data: what the argument parser (parse-args.ts) and the help (render-help.ts) read.
 * A command either runs (`run`) or groups subcommands (`commands`); `run` imports its
 * implementation when called, so that starting the CLI loads only the command that runs.
 */

/** A parsed option value: a string, a flag, or the values of a repeatable option. */
export type OptionValue = string | boolean | string[];

export interface OptionSpec {
  /**
   * Docker/commander notation: `-d, --detach` (a flag), `-e, --env <value>` (takes a value),
   * `--sig-proxy [bool]` (a flag that also takes `=false`), `--no-trunc` (sets `trunc` to false;
   * `trunc` defaults to true).
   */
  flags: string;
  description: string;
  /** Collects every occurrence into a list (default []). */
  repeat?: boolean;
  default?: string;
}

/** The parsed options of one command, keyed by the camelCased long name (`--memory-swap` → memorySwap). */
export type ParsedOptions = Record<string, OptionValue | undefined>;

/** Options given before the command word (`--root`, `--host`, `--token`). */
export interface GlobalOptions {
  root?: string;
  host?: string;
  token?: string;
}

export interface Invocation {
  globals: GlobalOptions;
  /** Positional arguments by name (`<image>` → image; variadic ones are lists). */
  args: Record<string, string | string[] | undefined>;
  options: ParsedOptions;
}

export interface CommandSpec {
  name: string;
  aliases?: string[];
  description: string;
  /** Positional arguments: `<image> [command...]` (required, optional, variadic last). */
  args?: string;
  options?: OptionSpec[];
  /** After the first positional, everything is positional (`run IMAGE ls -l`). */
  passThrough?: boolean;
  /** `-h` is one of the options (Docker's `run -h HOSTNAME`): help is `--help` only. */
  helpLongOnly?: boolean;
  run?: (invocation: Invocation) => Promise<void>;
  commands?: CommandSpec[];
}

/**
 * The options of a command as the interface its action declares (whose fields must be option
 * values). The parser fills the keys the command's OptionSpecs name; the action's interface says
 * which those are — the one unchecked step, as with any argument parser.
 */
export function flagsOf<T extends { [K in keyof T]?: OptionValue }>(options: ParsedOptions): T {
  return options as T;
}

/** A positional argument that the parser guarantees (required). */
export function argOf(args: Invocation['args'], name: string): string {
  const value = args[name];
  return typeof value === 'string' ? value : (value ?? []).join(' ');
}

/** A variadic positional argument (empty when absent). */
export function argsOf(args: Invocation['args'], name: string): string[] {
  const value = args[name];
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}
