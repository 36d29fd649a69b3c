import type { Node } from './node.js';

/**
 * A property of a node that placement reads: Swarm's constraint and spread keys. `node.labels.X`
 * are the operator's labels (node update), `engine.labels.X` the labels the node's engine reports.
 */
export type NodeAttribute =
  | { readonly kind: 'id' | 'hostname' | 'role' | 'os' | 'arch' }
  | { readonly kind: 'node-label' | 'engine-label'; readonly label: string };

const FIXED: Record<string, NodeAttribute> = {
  'node.id': { kind: 'id' },
  'node.hostname': { kind: 'hostname' },
  'node.role': { kind: 'role' },
  'node.platform.os': { kind: 'os' },
  'node.platform.arch': { kind: 'arch' },
};

const LABEL_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$/;

/** The attribute a key names, or undefined when the key is not one placement knows. */
export function parseNodeAttribute(key: string): NodeAttribute | undefined {
  const fixed = FIXED[key];
  if (fixed !== undefined) return fixed;
  for (const [prefix, kind] of [['node.labels.', 'node-label'], ['engine.labels.', 'engine-label']] as const) {
    if (key.startsWith(prefix)) {
      const label = key.slice(prefix.length);
      return LABEL_NAME.test(label) ? { kind, label } : undefined;
    }
  }
  return undefined;
}

/** The keys placement knows, for error messages. */
export const NODE_ATTRIBUTE_KEYS = [...Object.keys(FIXED), 'node.labels.<name>', 'engine.labels.<name>'];

/** The node's value of an attribute; undefined when a label is not set on the node. */
export function readNodeAttribute(node: Node, attribute: NodeAttribute): string | undefined {
  switch (attribute.kind) {
    case 'id': return node.id;
    case 'hostname': return node.description.hostname;
    case 'role': return node.spec.role;
    case 'os': return node.description.platform.os;
    case 'arch': return node.description.platform.arch;
    case 'node-label': return node.spec.labels[attribute.label];
    case 'engine-label': return node.description.engineLabels[attribute.label];
  }
}
