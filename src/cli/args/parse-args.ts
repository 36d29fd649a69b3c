/**
 * The berth command line parsed against the command specs (command-spec.ts), as the docker CLI
 * reads it: global options before the command word; then the command's options and positionals in
 * any order (`rm a -f b`), except after the first positional of a pass-through command (`run IMAGE
 * ls -l`); `--name=value` or `--name value`; grouped short flags (`-it`, `-dit`), a short option's
 * value attached or next (`-eA=1`, `-e A=1`); `--` ends the options. Pure: no output, no exit.
 */
import { errors } from '../../base/errors.js';
import type { CommandSpec, GlobalOptions, Invocation, OptionSpec, OptionValue, ParsedOptions } from './command-spec.js';

export interface CompiledOption {
  spec: OptionSpec;
  short?: string;
  long: string;
  /** camelCase key in ParsedOptions. */
  key: string;
  value: 'required' | 'optional' | 'none';
  /** `--no-x`: sets `x` to false (default true). */
  negated: boolean;
}

/** What the command line asks for. */
export type ParseResult =
  | { kind: 'run'; path: CommandSpec[]; invocation: Invocation }
  | { kind: 'help'; path: CommandSpec[] }
  | { kind: 'version' };

const camel = (name: string): string => name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** `-e, --env <value>` → its parts. Throws internal for a malformed spec (a bug, not user input). */
export function compileOption(spec: OptionSpec): CompiledOption {
  const match = /^(?:-([A-Za-z]), )?--([a-z0-9][a-z0-9-]*)(?: (<[^>]+>|\[[^\]]+\]))?$/.exec(spec.flags);
  if (match === null) throw errors.internal('bad-option-spec', `option spec "${spec.flags}"`);
  const long = match[2] ?? '';
  const negated = long.startsWith('no-');
  const value = match[3] === undefined ? 'none' : match[3].startsWith('<') ? 'required' : 'optional';
  return { spec, ...(match[1] === undefined ? {} : { short: match[1] }), long, key: camel(negated ? long.slice(3) : long), value, negated };
}

/** `<image> [command...]` → its slots. */
export function argumentSlots(text: string | undefined): { name: string; required: boolean; variadic: boolean }[] {
  return (text ?? '').split(' ').filter(Boolean).map((token) => ({
    name: camel(token.slice(1, -1).replace(/\.\.\.$/, '')),
    required: token.startsWith('<'),
    variadic: token.endsWith('...>') || token.endsWith('...]'),
  }));
}

/** The space-separated names of a command path: `berth container run`. */
export function commandName(path: CommandSpec[]): string {
  return path.map((c) => c.name).join(' ');
}

function usage(path: CommandSpec[], message: string): Error {
  return errors.invalidArgument('usage', `${message} (see '${commandName(path)} --help')`);
}

function findCommand(group: CommandSpec, word: string): CommandSpec | undefined {
  return group.commands?.find((c) => c.name === word || (c.aliases ?? []).includes(word));
}

/** Options of one command: parses them out of `args`, leaving positionals; `help` when asked. */
class OptionReader {
  readonly options: ParsedOptions = {};
  readonly positionals: string[] = [];
  help = false;
  readonly #compiled: CompiledOption[];

  constructor(private readonly path: CommandSpec[], specs: OptionSpec[]) {
    this.#compiled = specs.map(compileOption);
    for (const option of this.#compiled) {
      if (option.spec.repeat === true) this.options[option.key] = [];
      else if (option.negated) this.options[option.key] = true;
      else if (option.spec.default !== undefined) this.options[option.key] = option.spec.default;
    }
  }

  /**
   * Reads `args` from `start` and returns where it stopped. `mode`: 'all' reads to the end;
   * 'pass-through' makes everything after the first positional positional; 'until-word' stops at
   * the first positional (the command word after global options) without taking it.
   */
  read(args: string[], start: number, mode: 'all' | 'pass-through' | 'until-word', helpLongOnly: boolean): number {
    let onlyPositionals = false;
    for (let i = start; i < args.length; i++) {
      const arg = args[i] ?? '';
      if (onlyPositionals || arg === '-' || !arg.startsWith('-')) {
        if (mode === 'until-word') return i;
        this.positionals.push(arg);
        if (mode === 'pass-through') onlyPositionals = true;
      } else if (arg === '--') {
        if (mode === 'until-word') return i + 1;
        onlyPositionals = true;
      } else if (arg === '--help' || (arg === '-h' && !helpLongOnly)) {
        this.help = true;
      } else if (arg.startsWith('--')) {
        i = this.#long(args, i);
      } else {
        i = this.#shorts(args, i);
      }
    }
    return args.length;
  }

  #set(option: CompiledOption, value: OptionValue): void {
    const previous = this.options[option.key];
    this.options[option.key] = option.spec.repeat === true && Array.isArray(previous) && typeof value === 'string' ? [...previous, value] : value;
  }

  #long(args: string[], i: number): number {
    const arg = args[i] ?? '';
    const at = arg.indexOf('=');
    const name = arg.slice(2, at < 0 ? undefined : at);
    const inline = at < 0 ? undefined : arg.slice(at + 1);
    const option = this.#compiled.find((o) => o.long === name);
    if (option === undefined) throw usage(this.path, `unknown option '--${name}'`);
    if (option.value === 'none') {
      if (inline !== undefined) throw usage(this.path, `option '--${name}' takes no value`);
      this.#set(option, !option.negated);
      return i;
    }
    if (option.value === 'optional') {
      this.#set(option, inline === undefined ? true : !['false', '0', 'no'].includes(inline.toLowerCase()));
      return i;
    }
    if (inline !== undefined) {
      this.#set(option, inline);
      return i;
    }
    const next = args[i + 1];
    if (next === undefined) throw usage(this.path, `option '${option.spec.flags}' needs a value`);
    this.#set(option, next);
    return i + 1;
  }

  #shorts(args: string[], i: number): number {
    const group = (args[i] ?? '').slice(1);
    for (let j = 0; j < group.length; j++) {
      const letter = group[j] ?? '';
      const option = this.#compiled.find((o) => o.short === letter);
      if (option === undefined) throw usage(this.path, `unknown option '-${letter}'`);
      if (option.value !== 'required') {
        this.#set(option, true);
        continue;
      }
      const attached = group.slice(j + 1).replace(/^=/, '');
      if (attached !== '') {
        this.#set(option, attached);
        return i;
      }
      const next = args[i + 1];
      if (next === undefined) throw usage(this.path, `option '${option.spec.flags}' needs a value`);
      this.#set(option, next);
      return i + 1;
    }
    return i;
  }
}

/** Assigns positionals to the command's argument slots. Throws invalid-argument (`usage`). */
function assignArguments(path: CommandSpec[], command: CommandSpec, positionals: string[]): Invocation['args'] {
  const result: Invocation['args'] = {};
  const slots = argumentSlots(command.args);
  let next = 0;
  for (const slot of slots) {
    if (slot.variadic) {
      result[slot.name] = positionals.slice(next);
      next = positionals.length;
    } else if (next < positionals.length) {
      result[slot.name] = positionals[next++];
    }
    const value = result[slot.name];
    if (slot.required && (value === undefined || (Array.isArray(value) && value.length === 0))) throw usage(path, `missing required argument '${slot.name}'`);
  }
  if (next < positionals.length) throw usage(path, `too many arguments: ${positionals.slice(next).join(' ')}`);
  return result;
}

/** Parses `args` (without node and script) against the program `root`. Throws invalid-argument (`usage`). */
export function parseArgs(root: CommandSpec, args: string[]): ParseResult {
  const globals = new OptionReader([root], root.options ?? []);
  let index = globals.read(args, 0, 'until-word', false);
  if (globals.options.version === true) return { kind: 'version' };
  const path: CommandSpec[] = [root];
  let command = root;
  if (globals.help) return { kind: 'help', path };
  if (args[index] === 'help') return { kind: 'help', path: [root, ...helpPath(root, args.slice(index + 1))] };
  while (command.commands !== undefined) {
    const word = args[index];
    if (word === undefined || word === '--help' || word === '-h') return { kind: 'help', path };
    const sub = findCommand(command, word);
    if (sub === undefined) throw usage(path, `unknown command '${word}'`);
    path.push(sub);
    command = sub;
    index++;
  }
  const reader = new OptionReader(path, command.options ?? []);
  reader.read(args, index, command.passThrough === true ? 'pass-through' : 'all', command.helpLongOnly === true);
  if (reader.help) return { kind: 'help', path };
  const global: GlobalOptions = {};
  if (typeof globals.options.root === 'string') global.root = globals.options.root;
  if (typeof globals.options.host === 'string') global.host = globals.options.host;
  if (typeof globals.options.token === 'string') global.token = globals.options.token;
  return { kind: 'run', path, invocation: { globals: global, args: assignArguments(path, command, reader.positionals), options: reader.options } };
}

/** `help container run` → the specs of container, run (as far as they exist). */
function helpPath(root: CommandSpec, words: string[]): CommandSpec[] {
  const path: CommandSpec[] = [];
  let current = root;
  for (const word of words) {
    const sub = findCommand(current, word);
    if (sub === undefined) break;
    path.push(sub);
    current = sub;
  }
  return path;
}
