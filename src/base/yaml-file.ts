/**
 * A YAML file checked against a zod schema, with errors that name the file, the line, the list
 * item (its `name`, else its index) and the field, as berth's rule files report them:
 *
 *   rules.yaml:7: rule "no-root" (rules[2]): field mode: Invalid option: expected one of …
 *
 * Every error is invalid-argument with the reason the caller gives.
 */
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { errors } from './errors.js';
import { fieldOf, lineOf } from './yaml-locations.js';

export interface CheckedYaml<T> {
  data: T;
  /** Throws invalid-argument at the line of `path`, naming its list item (one of `items`) and field. */
  fail(path: readonly PropertyKey[], message: string): never;
  /** As `fail`, at the line of `linePath` and naming the field of `fieldPath` (a field the item lacks, shown where the item is). */
  failAt(linePath: readonly PropertyKey[], fieldPath: readonly PropertyKey[], message: string): never;
}

/** The list fields whose items errors name, and what one item is called (`{ rules: 'rule' }`). */
export type ItemKinds = Readonly<Record<string, string>>;

function itemLabel(document: Document, list: string, kind: string, index: number): string {
  const name: unknown = document.getIn([list, index, 'name']);
  return typeof name === 'string' ? `${kind} "${name}" (${list}[${index}])` : `${kind} ${list}[${index}]`;
}

/** Where `path` is, in words: `rule "x" (rules[0]): field on: ` or `field interval: `. */
function whereOf(document: Document, items: ItemKinds, path: readonly PropertyKey[]): string {
  const [list, index] = path;
  const kind = typeof list === 'string' ? items[list] : undefined;
  if (kind !== undefined && typeof list === 'string' && typeof index === 'number') {
    return `${itemLabel(document, list, kind, index)}: ${path.length > 2 ? `field ${fieldOf(path.slice(2))}: ` : ''}`;
  }
  return `field ${path.length === 0 ? '(document)' : fieldOf(path)}: `;
}

/** Parses `text` (named `source` in errors) and checks it against `schema`. */
export function checkYaml<S extends z.ZodType>(text: string, source: string, schema: S, reason: string, items: ItemKinds): CheckedYaml<z.output<S>> {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  const at = (line: number | undefined): string => `${source}${line === undefined ? '' : `:${line}`}: `;
  const failAt = (linePath: readonly PropertyKey[], fieldPath: readonly PropertyKey[], message: string): never => {
    throw errors.invalidArgument(reason, `${at(lineOf(document, lines, linePath))}${whereOf(document, items, fieldPath)}${message}`);
  };
  const fail = (path: readonly PropertyKey[], message: string): never => failAt(path, path, message);
  const yamlError = document.errors[0];
  if (yamlError !== undefined) throw errors.invalidArgument(reason, `${at(yamlError.linePos?.[0].line)}not valid YAML: ${yamlError.message.split('\n')[0] ?? ''}`);
  const result = schema.safeParse(document.toJS() ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    fail(issue?.path ?? [], issue?.message ?? 'invalid');
  }
  return { data: result.data as z.output<S>, fail, failAt };
}
