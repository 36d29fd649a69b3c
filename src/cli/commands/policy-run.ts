/**
 * `berth policy check`: the run flags become the body of a container create (as `berth run` builds
 * it), which the in-process policy port evaluates; each broken rule is printed with its mode, and
 * the exit code is 1 when one of them is an `enforce` rule.
 */
import { errors } from '../../base/errors.js';
import type { GlobalOptions } from '../args/command-spec.js';
import { ports } from '../berth-ports.js';
import { outputFormat, printJson, setExitStatus } from '../context.js';
import { renderTable } from '../format.js';
import type { CreateFlags } from './container-flags.js';
import { createConfigFromFlags } from './create-config.js';

export interface PolicyCheckFlags {
  image?: string;
  format?: string;
}

export async function runPolicyCheck(globals: GlobalOptions, file: string, flags: CreateFlags & PolicyCheckFlags): Promise<void> {
  const format = outputFormat(flags.format);
  if (flags.image === undefined || flags.image === '') throw errors.invalidArgument('missing-image', '--image is required: the image a container would run');
  const body = createConfigFromFlags(flags.image, [], flags, process.env);
  const result = await ports().policy.check(globals, file, body);
  const refused = result.violations.some((v) => v.mode === 'enforce');
  if (format === 'json') {
    printJson({ policy: file, image: flags.image, allowed: !refused, imageInStore: result.imageInStore, violations: result.violations });
  } else if (result.violations.length === 0) {
    process.stdout.write(`${flags.image}: allowed by ${file} (no rule broken)\n`);
  } else {
    process.stdout.write(`${renderTable(['MODE', 'RULE', 'FIELD', 'VIOLATION'], result.violations.map((v) => [v.mode, v.rule, v.field, v.detail]))}\n`);
    process.stdout.write(`${flags.image}: ${refused ? 'refused' : 'allowed with warnings'} by ${file}\n`);
  }
  if (!result.imageInStore && format === 'table') process.stderr.write(`note: ${flags.image} is not in the state root: rules on its user, labels and vulnerabilities were judged without it\n`);
  if (refused) setExitStatus(1);
}
