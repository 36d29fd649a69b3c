/**
 * A lab's state file, `<home>/<name>/lab.json`: what `up` made (bridge, subnet, nodes with their
 * addresses and berthd pids), so that `down` and `status` work from another process. `up` writes
 * it before it makes anything and again after each step (atomically), so a crashed `up` leaves
 * a file that names what it may have made.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../base/atomic-file.js';
import { errnoCode, errors } from '../base/errors.js';

const NODE_STATE = z.object({
  node: z.string(),
  hostname: z.string(),
  role: z.enum(['manager', 'worker']),
  address: z.string(),
  netns: z.string(),
  veth: z.string(),
  root: z.string(),
  socket: z.string(),
  log: z.string(),
  cgroupParent: z.string(),
  /** berthd's pid once started (absent before). */
  pid: z.number().int().optional(),
});

const LAB_STATE = z.object({
  version: z.literal(1),
  name: z.string(),
  dir: z.string(),
  bridge: z.string(),
  subnet: z.string(),
  hostAddress: z.string(),
  cgroupTop: z.string(),
  createdAt: z.string(),
  /** `starting` until every berthd answered; `up` after. */
  phase: z.enum(['starting', 'up']),
  nodes: z.array(NODE_STATE),
});

export type LabNodeState = z.infer<typeof NODE_STATE>;
export type LabState = z.infer<typeof LAB_STATE>;

/** Writes the state file atomically. */
export async function writeLabState(path: string, state: LabState): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(state, null, 2)}\n`);
}

/** The state file at `path`, or undefined when there is none; data-loss when it cannot be read as one. */
export async function readLabState(path: string): Promise<LabState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw errors.dataLoss('corrupt-lab-state', `${path}: not JSON`, { cause });
  }
  const result = LAB_STATE.safeParse(parsed);
  if (!result.success) throw errors.dataLoss('corrupt-lab-state', `${path}: ${result.error.issues[0]?.path.join('.') ?? ''}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  return result.data;
}
