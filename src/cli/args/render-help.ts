/** `--help` text of a command, from its spec, in commander's layout. */
import type { CommandSpec } from './command-spec.js';
import { commandName } from './parse-args.js';

function columns(rows: [string, string][]): string {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`.trimEnd()).join('\n');
}

function usageOf(command: CommandSpec): string {
  return [(command.options ?? []).length > 0 ? '[options]' : '', command.commands !== undefined ? '[command]' : '', command.args ?? ''].filter(Boolean).join(' ');
}

/** The help of the last command in `path`; `footer` is printed after it (the program's shortcuts). */
export function renderHelp(path: CommandSpec[], footer = ''): string {
  const command = path[path.length - 1];
  if (command === undefined) return '';
  const sections = [`Usage: ${commandName(path)} ${usageOf(command)}`.trimEnd(), command.description];
  const options: [string, string][] = (command.options ?? []).map((o) => [o.flags, `${o.description}${o.default === undefined ? '' : ` (default: ${o.default})`}`]);
  options.push([command.helpLongOnly === true ? '--help' : '-h, --help', 'display help for command']);
  sections.push(`Options:\n${columns(options)}`);
  if (command.commands !== undefined) {
    const rows: [string, string][] = command.commands.map((c) => [`${[c.name, ...(c.aliases ?? [])].join('|')} ${usageOf(c)}`.trimEnd(), c.description]);
    sections.push(`Commands:\n${columns(rows)}`);
  }
  if (footer !== '') sections.push(footer);
  return `${sections.join('\n\n')}\n`;
}
