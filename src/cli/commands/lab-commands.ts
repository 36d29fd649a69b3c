/**
 * `berth lab up|down|status`: many berthd nodes on this machine, each in its own network
 * namespace on a lab bridge (the lab port of berth-ports.ts, composed in
 * daemon/berth-process/lab-run.ts, loads only when one of these runs).
 */
import { flagsOf, type CommandSpec } from '../args/command-spec.js';
import type { LabFlags, LabStatusFlags, LabUpFlags } from './lab-flags.js';

const actions = () => import('./lab-actions.js');

const NAME = { flags: '--name <name>', description: 'lab name (letters, digits, dashes)', default: 'berth' };
const DIR = { flags: '--dir <dir>', description: 'directory holding labs (default: /var/lib/berth-labs)' };

export const LAB_COMMAND: CommandSpec = {
  name: 'lab',
  description: 'Run many berthd nodes on this machine (network namespaces on a lab bridge)',
  commands: [
    {
      name: 'up', description: 'Start a lab: one berthd per node, each in its own network namespace',
      options: [
        NAME, DIR,
        { flags: '--managers <n>', description: 'manager nodes (m1, m2, …)', default: '1' },
        { flags: '--workers <n>', description: 'worker nodes (w1, w2, …)', default: '0' },
        { flags: '--subnet <cidr>', description: 'the lab bridge\'s subnet (default: the first free /24 of 10.250.0.0/16)' },
      ],
      run: async ({ options }) => { await (await actions()).upAction(flagsOf<LabUpFlags>(options)); },
    },
    {
      name: 'down', description: 'Remove everything a lab made (also after a crash)',
      options: [NAME, DIR],
      run: async ({ options }) => { await (await actions()).downAction(flagsOf<LabFlags>(options)); },
    },
    {
      name: 'status', aliases: ['ls'], description: 'Show a lab\'s nodes',
      options: [NAME, DIR, { flags: '--format <format>', description: 'table or json', default: 'table' }],
      run: async ({ options }) => { await (await actions()).statusAction(flagsOf<LabStatusFlags>(options)); },
    },
  ],
};
