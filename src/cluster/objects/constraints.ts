import { errors } from '../../base/errors.js';
import type { Node } from './node.js';
import { NODE_ATTRIBUTE_KEYS, parseNodeAttribute, readNodeAttribute, type NodeAttribute } from './node-attribute.js';

/**
 * Placement constraints as Swarm has them: `<key>==<value>` or `<key>!=<value>`, where the key is
 * `node.id`, `node.hostname`, `node.role`, `node.platform.os`, `node.platform.arch`,
 * `node.labels.<name>` or `engine.labels.<name>`. Several constraints must all hold. Values
 * compare case-insensitively (as Swarm's); `x86_64`/`amd64` and `aarch64`/`arm64` are the same
 * architecture. A label the node does not have never equals a value, so `!=` holds for it.
 */
export interface Constraint {
  /** The expression as the user wrote it (trimmed), for messages. */
  readonly expression: string;
  readonly attribute: NodeAttribute;
  readonly operator: '==' | '!=';
  /** The value, lowercased (and architectures normalised). */
  readonly value: string;
}

const EXPRESSION = /^([^=!\s]+)\s*(==|!=)\s*(.+)$/;
const VALUE = /^[A-Za-z0-9:\-_ .*()?+[\]\\^$|/@]+$/;
const ARCH_ALIASES: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64', armhf: 'arm' };

function normalise(attribute: NodeAttribute, value: string): string {
  const lower = value.toLowerCase();
  return attribute.kind === 'arch' ? ARCH_ALIASES[lower] ?? lower : lower;
}

/**
 * Parses one constraint. Throws invalid-argument `invalid-constraint` naming `field` and the
 * expression: no operator, an unknown key, an empty or malformed value.
 */
export function parseConstraint(expression: string, field = 'constraint'): Constraint {
  const text = expression.trim();
  const match = EXPRESSION.exec(text);
  const invalid = (why: string): Error =>
    errors.invalidArgument('invalid-constraint', `${field}: invalid constraint "${expression}": ${why}`, { details: { field, expression } });
  if (match === null) throw invalid('expected <key>==<value> or <key>!=<value>');
  const [, key = '', operator, rawValue = ''] = match;
  const attribute = parseNodeAttribute(key);
  if (attribute === undefined) throw invalid(`unknown key "${key}" (known: ${NODE_ATTRIBUTE_KEYS.join(', ')})`);
  const value = rawValue.trim();
  if (!VALUE.test(value)) throw invalid(`malformed value "${value}"`);
  return { expression: text, attribute, operator: operator === '==' ? '==' : '!=', value: normalise(attribute, value) };
}

/** Parses a list of constraints; the field of each is `${field}[i]`. Throws as parseConstraint. */
export function parseConstraints(expressions: readonly string[], field = 'constraints'): Constraint[] {
  return expressions.map((expression, i) => parseConstraint(expression, `${field}[${i}]`));
}

/** Whether the node satisfies the constraint. */
export function constraintHolds(constraint: Constraint, node: Node): boolean {
  const actual = readNodeAttribute(node, constraint.attribute);
  const equal = actual !== undefined && normalise(constraint.attribute, actual) === constraint.value;
  return constraint.operator === '==' ? equal : !equal;
}

/** The first constraint the node does not satisfy, or undefined when all hold. */
export function firstUnmetConstraint(constraints: readonly Constraint[], node: Node): Constraint | undefined {
  return constraints.find((constraint) => !constraintHolds(constraint, node));
}
