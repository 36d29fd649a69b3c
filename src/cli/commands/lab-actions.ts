/** The actions of `berth lab …` (lab-commands.ts): flags → the lab port → table or JSON. */
import { errors } from '../../base/errors.js';
import { ports } from '../berth-ports.js';
import { outputFormat, printJson } from '../context.js';
import { renderTable } from '../format.js';
import type { LabFlags, LabStatusFlags, LabUpFlags, LabView } from './lab-flags.js';

function count(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw errors.invalidArgument('invalid-node-count', `--${flag} ${value}: want a whole number`);
  return Number(value);
}

function nodeTable(lab: LabView): string {
  return renderTable(['NAME', 'ROLE', 'ADDRESS', 'SOCKET', 'STATE'], lab.nodes.map((n) => [n.name, n.role, n.address, n.socket, n.state]));
}

export async function upAction(flags: LabUpFlags): Promise<void> {
  const lab = await ports().lab.up({
    name: flags.name, managers: count('managers', flags.managers), workers: count('workers', flags.workers),
    ...(flags.dir !== undefined && { dir: flags.dir }), ...(flags.subnet !== undefined && { subnet: flags.subnet }),
  });
  process.stdout.write(`${nodeTable(lab)}\n`);
  process.stderr.write(`lab ${lab.name}: bridge ${lab.bridge} ${lab.subnet} (this host is ${lab.hostAddress}); use a node with berth --host unix://<socket> …\n`);
  const manager = lab.nodes.find((node) => node.role === 'manager');
  if (manager !== undefined) process.stderr.write(`the nodes form one cluster; manage it through a manager: berth --host unix://${manager.socket} node ls\n`);
}

export async function downAction(flags: LabFlags): Promise<void> {
  const removed = await ports().lab.down(flags);
  process.stdout.write(removed ? `lab ${flags.name} removed\n` : `no lab ${flags.name}: nothing to remove\n`);
}

export async function statusAction(flags: LabStatusFlags): Promise<void> {
  const format = outputFormat(flags.format);
  const lab = await ports().lab.status(flags);
  if (format === 'json') {
    printJson(lab);
    return;
  }
  process.stdout.write(`${nodeTable(lab)}\n`);
}
