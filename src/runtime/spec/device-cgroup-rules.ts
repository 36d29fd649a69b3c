/**
 * `--device-cgroup-rule` (HostConfig.DeviceCgroupRules): `type major:minor access` as dockerd reads
 * it (`c 1:3 rwm`, `a *:* rwm`, `b 8:* r`), each an allow rule added after Docker's default device
 * rules. Pure.
 */
import { errors } from '../../base/errors.js';
import type { OciDeviceCgroupRule } from './oci-runtime-spec.js';

/** dockerd's pattern, to the letter: one space between the parts, `*` or a decimal number, 1–3 of r, w, m. */
const RULE = /^([acb]) ([0-9]+|\*):([0-9]+|\*) ([rwm]{1,3})$/;

function deviceNumber(text: string): number | undefined {
  if (text === '*') return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : Number.NaN;
}

/**
 * One rule → the spec's allow rule (`*` = any number, left out as the spec does). Throws
 * invalid-argument (`invalid-device-cgroup-rule`) with dockerd's message, prefixed with `field`.
 */
export function parseDeviceCgroupRule(rule: string, field: string): OciDeviceCgroupRule {
  const match = RULE.exec(rule);
  const major = match?.[2] === undefined ? Number.NaN : deviceNumber(match[2]);
  const minor = match?.[3] === undefined ? Number.NaN : deviceNumber(match[3]);
  const type = match?.[1];
  if (!match || Number.isNaN(major) || Number.isNaN(minor) || (type !== 'a' && type !== 'b' && type !== 'c')) {
    throw errors.invalidArgument('invalid-device-cgroup-rule', `${field}: invalid device cgroup rule format: '${rule}'`);
  }
  return {
    allow: true, type, ...(major === undefined ? {} : { major }), ...(minor === undefined ? {} : { minor }), access: match[4] ?? '',
  };
}

/** Every rule of the list, in order; the field of each is `<field>[<index>]`. Throws as parseDeviceCgroupRule. */
export function parseDeviceCgroupRules(rules: readonly string[], field: string): OciDeviceCgroupRule[] {
  return rules.map((rule, index) => parseDeviceCgroupRule(rule, `${field}[${index}]`));
}
