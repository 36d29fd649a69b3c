/**
 * The policy file (`berthd --policy FILE`, `berth policy check FILE`): YAML checked against
 * policy-schema.ts and compiled for the evaluator. Every error is invalid-argument (reason
 * `invalid-policy-file`) naming the file and line, the rule (its name, else `rules[i]`) and the field:
 *
 *   policy.yaml:7: rule "no-root" (rules[2]): field mode: Invalid option: expected one of "enforce"|"warn"|"audit"
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { errors, messageOf } from '../../base/errors.js';
import { readTrustedKeyFile, type TrustedKey } from '../signing/trusted-keys.js';
import { checkYaml } from '../../base/yaml-file.js';
import { policyFileSchema, type RuleSpec } from './policy-schema.js';
import { ImagePattern } from './image-pattern.js';
import type { PolicyMode } from './admission-request.js';

/** A rule ready for the evaluator: its name (given, else its kind), compiled patterns, and for `signed`, its keys read. */
export type CompiledRule = RuleSpec & { name: string; patterns: ImagePattern[] | undefined; trustedKeys?: readonly TrustedKey[] };

export interface Policy {
  /** Where it was read from (for logs). */
  source: string;
  rules: readonly CompiledRule[];
}

export const EMPTY_POLICY: Policy = { source: '(none)', rules: [] };

/**
 * Parses and checks a policy's text; `source` names it in errors. The key files of `signed` rules
 * are read here (relative paths from the directory of `source`), so a missing or bad key is an
 * error of the policy naming the rule and the key.
 */
export function parsePolicy(text: string, source: string): Policy {
  const checked = checkYaml(text, source, policyFileSchema, 'invalid-policy-file', { rules: 'rule' });
  const seen = new Map<string, number>();
  const rules = checked.data.rules.map((rule, index): CompiledRule => {
    const trustedKeys = rule.kind !== 'signed' ? undefined : rule.keys.map((file, k) => {
      try {
        return readTrustedKeyFile(isAbsolute(file) ? file : join(dirname(source), file), file);
      } catch (err) {
        return checked.failAt(['rules', index, 'keys', k], ['rules', index, 'keys', k], messageOf(err));
      }
    });
    const name = rule.name ?? rule.kind;
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      checked.failAt(['rules', index, rule.name === undefined ? 'kind' : 'name'], ['rules', index, 'name'],
        `"${name}" is also the name of rules[${earlier}]${rule.name === undefined ? ' (a rule without a name is named after its kind): give one of them a name' : ''}`);
    }
    seen.set(name, index);
    const match = rule.match === undefined ? undefined : typeof rule.match === 'string' ? [rule.match] : rule.match;
    return { ...rule, name, patterns: match?.map((text) => new ImagePattern(text)), ...(trustedKeys !== undefined && { trustedKeys }) };
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
