/**
 * `berth policy check FILE --image X [run flags]`: evaluates an admission policy for an image and
 * the flags of a `run` without running anything (for CI). It runs in this process: the policy
 * file is read here, and the image's facts (its user and labels, its vulnerabilities) come from the
 * state root of --root / BERTH_ROOT (else the default root) when the image is there.
 */
import { argOf, flagsOf, type CommandSpec } from '../args/command-spec.js';
import { CREATE_OPTIONS, type CreateFlags } from './container-flags.js';
import type { PolicyCheckFlags } from './policy-run.js';

export const POLICY_COMMAND: CommandSpec = {
  name: 'policy',
  description: 'Admission policies (berthd --policy)',
  commands: [
    {
      name: 'check', args: '<file>', helpLongOnly: true,
      description: 'Evaluate a policy file for an image and run flags, running nothing; exit 1 when an enforce rule is broken',
      options: [
        { flags: '--image <reference>', description: 'the image a container would run (required)' },
        { flags: '--format <format>', description: 'table or json', default: 'table' },
        ...CREATE_OPTIONS,
      ],
      run: async ({ globals, args, options }) => {
        await (await import('./policy-run.js')).runPolicyCheck(globals, argOf(args, 'file'), flagsOf<CreateFlags & PolicyCheckFlags>(options));
      },
    },
  ],
};
