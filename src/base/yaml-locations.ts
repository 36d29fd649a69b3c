/**
 * Where a field of a parsed YAML document is, for error messages that name the line and the field
 * (`rules[1].mode` at line 9): the line of the deepest node of a path the document has, and the
 * path written as a field name. Pure over the `yaml` package's document and line counter.
 */
import { isNode, type Document, type LineCounter } from 'yaml';

/** The line of the deepest node of `path` that the document has (1-based), or undefined. */
export function lineOf(document: Document, lines: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = document.getIn(path.slice(0, depth).map((part) => (typeof part === 'symbol' ? String(part) : part)), true);
    if (isNode(node) && node.range !== undefined && node.range !== null) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/** `['rules', 1, 'mode']` → `rules[1].mode`. */
export function fieldOf(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');
}
