/**
 * Dockerfile text → instructions. dockerfile-ast splits the text into parser directives and
 * instructions with their line ranges (continuations, comments, the escape character); this
 * module turns each instruction's raw arguments into what the builder reads: the logical line
 * (continuations joined, comment lines inside them dropped), the leading `--flags`, and the bodies
 * of heredocs (`<<EOF` … `EOF`) of RUN, COPY and ADD.
 */
import { DockerfileParser } from 'dockerfile-ast';
import { errors } from '../../base/errors.js';

export interface Heredoc {
  name: string;
  content: string;
  /** Whether variables in the body are expanded (the delimiter was not quoted). */
  expand: boolean;
}

export interface Instruction {
  /** Upper case: `RUN`, `COPY`, … */
  keyword: string;
  /** 1-based line of the instruction and of its last line. */
  line: number;
  endLine: number;
  /** The arguments on the instruction's logical line, flags removed. */
  args: string;
  /** `--name=value` flags before the arguments (`--link` alone gives `true`), in order. */
  flags: [string, string][];
  heredocs: Heredoc[];
}

export interface Dockerfile {
  /** The name errors cite: `Dockerfile`, `build/app.Dockerfile`. */
  file: string;
  escape: string;
  /** `# syntax=` directive, recorded (berth has one frontend). */
  syntax?: string;
  instructions: Instruction[];
}

export const KNOWN_INSTRUCTIONS = new Set([
  'FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER',
  'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL',
]);

const HEREDOC_INSTRUCTIONS = new Set(['RUN', 'COPY', 'ADD']);
const HEREDOC_MARK = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/g;

/** Throws invalid-argument (`dockerfile-parse`) naming the file and line. */
export function dockerfileError(file: string, line: number, message: string): never {
  throw errors.invalidArgument('dockerfile-parse', `${file}:${line}: ${message}`, { details: { file, line } });
}

/** Joins continuation lines; returns the logical line and the lines after it (heredoc bodies). */
function logicalLine(raw: string, escape: string, heredocs: boolean): { text: string; rest: string[] } {
  const lines = raw.split('\n');
  const parts: string[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index++] ?? '';
    const trimmed = line.trimEnd();
    if (parts.length > 0 && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    if (trimmed.endsWith(escape) && !trimmed.endsWith(escape + escape)) {
      parts.push(trimmed.slice(0, -escape.length));
      continue;
    }
    parts.push(line);
    break;
  }
  const text = parts.join('').trim();
  return { text, rest: heredocs ? lines.slice(index) : [] };
}

function takeFlags(text: string): { flags: [string, string][]; args: string } {
  const flags: [string, string][] = [];
  let rest = text;
  for (let match = /^--([A-Za-z][A-Za-z0-9-]*)(?:=(\S*))?(?:\s+|$)/.exec(rest); match; match = /^--([A-Za-z][A-Za-z0-9-]*)(?:=(\S*))?(?:\s+|$)/.exec(rest)) {
    flags.push([match[1] ?? '', match[2] ?? 'true']);
    rest = rest.slice(match[0].length);
  }
  return { flags, args: rest };
}

function readHeredocs(file: string, line: number, text: string, rest: string[]): Heredoc[] {
  const heredocs: Heredoc[] = [];
  let at = 0;
  for (const match of text.matchAll(HEREDOC_MARK)) {
    const strip = match[1] === '-';
    const name = match[3] ?? '';
    const body: string[] = [];
    let closed = false;
    while (at < rest.length) {
      const next = rest[at++] ?? '';
      const candidate = strip ? next.replace(/^\t+/, '') : next;
      if (candidate === name) {
        closed = true;
        break;
      }
      body.push(candidate);
    }
    if (!closed) dockerfileError(file, line, `unterminated heredoc <<${name}`);
    heredocs.push({ name, content: body.length === 0 ? '' : `${body.join('\n')}\n`, expand: match[2] === '' });
  }
  return heredocs;
}

/** Parses a Dockerfile. Throws invalid-argument naming the file and line for what it cannot read. */
export function parseDockerfile(text: string, file = 'Dockerfile'): Dockerfile {
  const ast = DockerfileParser.parse(text);
  const escape = ast.getEscapeCharacter();
  let syntax: string | undefined;
  for (const directive of ast.getDirectives()) {
    // By name: dockerfile-ast's getDirective() looks the name up in a plain object, so
    // `# constructor=x` gives Object's constructor function rather than null.
    if (directive.getName().toLowerCase() === 'syntax') syntax = directive.getValue();
  }
  const lines = text.split(/\r?\n/);
  const instructions: Instruction[] = [];
  for (const node of ast.getInstructions()) {
    const keyword = node.getKeyword().toUpperCase();
    const range = node.getRange();
    const line = range.start.line + 1;
    if (!KNOWN_INSTRUCTIONS.has(keyword)) dockerfileError(file, line, `unknown instruction: ${node.getInstruction()}`);
    const heredocAllowed = HEREDOC_INSTRUCTIONS.has(keyword);
    // The instruction's own text (dockerfile-ast leaves flags out of its arguments for some instructions).
    const keywordRange = node.getInstructionRange();
    const source = lines.slice(range.start.line, range.end.line + 1);
    source[0] = (source[0] ?? '').slice(keywordRange.end.character);
    const { text: logical, rest } = logicalLine(source.join('\n'), escape, heredocAllowed);
    const { flags, args } = keyword === 'ONBUILD' ? { flags: [], args: logical } : takeFlags(logical);
    const heredocs = heredocAllowed ? readHeredocs(file, line, args, rest) : [];
    instructions.push({ keyword, line, endLine: range.end.line + 1, args, flags, heredocs });
  }
  return { file, escape, ...(syntax !== undefined && { syntax }), instructions };
}

/** The last value of a flag, or undefined. */
export function flagValue(instruction: Instruction, name: string): string | undefined {
  let value: string | undefined;
  for (const [key, v] of instruction.flags) if (key === name) value = v;
  return value;
}

/** Rejects flags the instruction does not take. */
export function checkFlags(file: string, instruction: Instruction, allowed: readonly string[]): void {
  for (const [name] of instruction.flags) {
    if (!allowed.includes(name)) dockerfileError(file, instruction.line, `unknown flag for ${instruction.keyword}: --${name}`);
  }
}
