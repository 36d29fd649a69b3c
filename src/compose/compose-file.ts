/**
 * One compose file read from disk: its YAML document with line numbers, its values interpolated
 * (values only, never keys, as the Compose Specification says), and a way back from a field's
 * path (`services.web.ports.0`) to the line it is on, for errors that name file, line and field.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { errors, errnoCode } from '../base/errors.js';
import { fieldName, FieldValueError, type FieldPath } from './field-error.js';
import { interpolate, type Environment } from './interpolate.js';

export { fieldName, type FieldPath } from './field-error.js';

export class ComposeFile {
  private constructor(
    /** The file's absolute path. */
    readonly path: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
    /** The file's content as plain values, interpolated. */
    readonly data: unknown,
  ) {}

  /**
   * Parses `text` (the content of `path`) and interpolates its values with `env`. Throws
   * invalid-argument naming `path:line` for bad YAML or a bad interpolation.
   */
  static parse(path: string, text: string, env: Environment): ComposeFile {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, merge: true, prettyErrors: false, uniqueKeys: true });
    const first = doc.errors[0];
    if (first !== undefined) {
      const line = lines.linePos(first.pos[0]).line;
      throw errors.invalidArgument('compose-yaml', `${path}:${line}: ${first.message.split('\n')[0] ?? first.message}`);
    }
    const file = new ComposeFile(path, doc, lines, undefined);
    file.interpolateNode(doc.contents, [], env);
    return new ComposeFile(path, doc, lines, doc.toJS({ maxAliasCount: 1000 }) ?? {});
  }

  /** Reads and parses the file at `path`; not-found names it. */
  static async load(path: string, env: Environment): Promise<ComposeFile> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') throw errors.notFound('compose-file-missing', `${path}: no such file`, { cause: err });
      throw errors.invalidArgument('compose-file-unreadable', `${path}: cannot read`, { cause: err });
    }
    return ComposeFile.parse(path, text, env);
  }

  /** The line (1-based) of the field at `path`, or of its nearest ancestor present in the file. */
  lineOf(path: FieldPath): number {
    for (let depth = path.length; depth >= 0; depth--) {
      const offset = this.offsetOf(path.slice(0, depth));
      if (offset !== undefined) return this.lines.linePos(offset).line;
    }
    return 1;
  }

  /** `file:line: field` for messages. */
  where(path: FieldPath): string {
    return `${this.path}:${this.lineOf(path)}: ${fieldName(path)}`;
  }

  /**
   * `err` naming this file and the line of its field when it is a value error of a field of this
   * file (`file:line: field: problem`, as schema errors); any other error as it is.
   */
  locate(err: unknown): unknown {
    if (!(err instanceof FieldValueError)) return err;
    const line = this.lineOf(err.path);
    const field = fieldName(err.path);
    return errors.invalidArgument(err.reason, `${this.path}:${line}: ${field}: ${err.problem}`, { cause: err, details: { file: this.path, line, field } });
  }

  private offsetOf(path: FieldPath): number | undefined {
    if (path.length === 0) return this.doc.contents?.range?.[0];
    const parent = path.length === 1 ? this.doc.contents : this.doc.getIn(path.slice(0, -1), true);
    const last = path[path.length - 1];
    if (isMap(parent)) {
      // The key's position: the line where the field is written.
      const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(last));
      const key = pair?.key;
      if (isScalar(key) && key.range) return key.range[0];
    }
    if (isSeq(parent) && typeof last === 'number') {
      const item = parent.items[last];
      if (item !== null && typeof item === 'object' && 'range' in item && Array.isArray(item.range)) return (item.range as number[])[0];
    }
    return undefined;
  }

  private interpolateNode(node: unknown, path: (string | number)[], env: Environment): void {
    if (isScalar(node)) {
      if (typeof node.value === 'string' && node.value.includes('$')) {
        node.value = interpolate(node.value, env, `${this.path}:${this.lines.linePos(node.range?.[0] ?? 0).line}: ${fieldName(path)}`);
      }
    } else if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        this.interpolateNode(pair.value, [...path, key], env);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        this.interpolateNode(item, [...path, index], env);
      });
    }
  }
}
