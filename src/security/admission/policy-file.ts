/**
 * The policy file (`berthd --policy FILE`, `berth policy check FILE`): YAML checked against
 * policy-schema.ts and compiled for the evaluator. Every error is invalid-argument (reason
 * `invalid-policy-file`) naming the file and line, the rule (its name, else `rules[i]`) and the field:
 *
 *   policy.yaml:7: rule "no-root" (rules[2]): field mode: Invalid option: expected one of "enforce"|"warn"|"audit"
 */
import { readFile } from 'node:fs/promises';
import { errors, messageOf } from '../../base/errors.js';
import { checkYaml } from '../../base/yaml-file.js';
import { policyFileSchema, type RuleSpec } from './policy-schema.js';
import { ImagePattern } from './image-pattern.js';
import type { PolicyMode } from './admission-request.js';

/** A rule ready for the evaluator: its name (given, else its kind) and compiled patterns. */
export type CompiledRule = RuleSpec & { name: string; patterns: ImagePattern[] | undefined };

export interface Policy {
  /** Where it was read from (for logs). */
  source: string;
  rules: readonly CompiledRule[];
}

export const EMPTY_POLICY: Policy = { source: '(none)', rules: [] };

/** Parses and checks a policy's text; `source` names it in errors. */
export function parsePolicy(text: string, source: string): Policy {
  const checked = checkYaml(text, source, policyFileSchema, 'invalid-policy-file', { rules: 'rule' });
  const seen = new Map<string, number>();
  const rules = checked.data.rules.map((rule, index): CompiledRule => {
    if (rule.kind === 'signed') checked.failAt(['rules', index], ['rules', index, 'kind'], 'rule kind "signed" is not supported yet (image signing and verification are not built)');
    const name = rule.name ?? rule.kind;
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      checked.failAt(['rules', index, rule.name === undefined ? 'kind' : 'name'], ['rules', index, 'name'],
        `"${name}" is also the name of rules[${earlier}]${rule.name === undefined ? ' (a rule without a name is named after its kind): give one of them a name' : ''}`);
    }
    seen.set(name, index);
    const match = rule.match === undefined ? undefined : typeof rule.match === 'string' ? [rule.match] : rule.match;
    return { ...rule, name, patterns: match?.map((text) => new ImagePattern(text)) };
  });
  return { source, rules };
}

/** Reads and parses a policy file; invalid-argument (`invalid-policy-file`) when it cannot be read or is invalid. */
export async function loadPolicyFile(path: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw errors.invalidArgument('invalid-policy-file', `policy file ${path}: ${messageOf(cause)}`, { cause });
  }
  return parsePolicy(text, path);
}

/** How many rules of each mode a policy has: `3 enforce, 1 warn`. */
export function policySummary(policy: Policy): string {
  const counts = new Map<PolicyMode, number>();
  for (const rule of policy.rules) counts.set(rule.mode, (counts.get(rule.mode) ?? 0) + 1);
  return counts.size === 0 ? 'no rules' : [...counts].map(([mode, n]) => `${n} ${mode}`).join(', ');
}
