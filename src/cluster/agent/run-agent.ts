/**
 * The node's agent (Swarm's worker, DESIGN §5): three loops until the signal aborts — heartbeats,
 * assignments (long polls, each answer converged by the TaskConverger), and the engine's exits —
 * over one StatusReporter; each answer's networks are put on the node before its tasks converge.
 * No failure stops it: each loop retries with backoff on the injected timers. Cut off from the managers, it keeps what runs and queues its reports; when it reaches
 * them again (and when it starts), it first reports what its containers show, then converges.
 */
import type { Clock, Timers } from '../../base/clock.js';
import { messageOf } from '../../base/errors.js';
import type { NodeRole } from '../objects/node.js';
import type { Assignments, ManagerLink, NodeEngine, TaskFiles } from './agent-ports.js';
import { Backoff, sleep, unlessAborted } from '../../base/retry-backoff.js';
import { AGENT_BACKOFF } from './agent-backoff.js';
import { OverlayConverger } from './overlay-converger.js';
import { StatusReporter } from './status-reporter.js';
import { TaskConverger } from './task-converger.js';

export interface AgentOptions {
  readonly nodeId: string;
  readonly link: ManagerLink;
  readonly engine: NodeEngine;
  readonly clock: Clock;
  readonly timers: Timers;
  /** Stops the agent; the task containers keep running (a restarted agent takes them up again). */
  readonly signal: AbortSignal;
  readonly log?: (message: string) => void;
  /** Called with the role each heartbeat answer says the node's spec asks for. */
  readonly onRole?: (role: NodeRole) => void;
  /** Where the tasks' secret and config files go; without it, a task that uses some fails to start. */
  readonly files?: TaskFiles;
}

interface Loop {
  readonly link: ManagerLink;
  /** Whether the agent was stopped (a call, so that it is read afresh after each await). */
  readonly stopped: () => boolean;
  readonly timers: Timers;
  readonly signal: AbortSignal;
  readonly log: (message: string) => void;
  readonly onRole: (role: NodeRole) => void;
}

/**
 * Runs the agent until `options.signal` aborts, then waits for the steps under way (a pull is
 * aborted; a run or removal finishes) and resolves. Never rejects.
 */
export async function runAgent(options: AgentOptions): Promise<void> {
  const { link, engine, clock, timers, signal } = options;
  const log = options.log ?? (() => undefined);
  if (signal.aborted) return;
  const reporter = new StatusReporter({ link, timers, signal, log });
  const converger = new TaskConverger({ nodeId: options.nodeId, engine, reporter, clock, signal, log, ...(options.files === undefined ? {} : { files: options.files }) });
  const overlays = new OverlayConverger(engine, log);
  const loop: Loop = { link, stopped: () => signal.aborted, timers, signal, log, onRole: options.onRole ?? (() => undefined) };
  await Promise.all([heartbeats(loop), assignments(loop, reporter, converger, overlays), exits(loop, engine, converger)]);
  await converger.idle();
}

/** Renews the heartbeat lease at the period the managers answer; retries failures with backoff. */
async function heartbeats({ link, timers, signal, log, onRole }: Loop): Promise<void> {
  const backoff = new Backoff(AGENT_BACKOFF);
  while (!signal.aborted) {
    let waitMs: number;
    try {
      const answer = await unlessAborted(link.heartbeat(), signal);
      if (answer === undefined) return;
      backoff.reset();
      waitMs = answer.periodMs;
      if (answer.role !== undefined) onRole(answer.role);
    } catch (err) {
      waitMs = backoff.next();
      log(`agent: heartbeat failed (retry in ${waitMs} ms): ${messageOf(err)}`);
    }
    await sleep(timers, waitMs, signal);
  }
}

/** Long-polls the assignments; on first contact and after being cut off, reports observed state before converging. */
async function assignments({ link, stopped, timers, signal, log }: Loop, reporter: StatusReporter, converger: TaskConverger, overlays: OverlayConverger): Promise<void> {
  const backoff = new Backoff(AGENT_BACKOFF);
  let since = 0;
  let connected = false;
  while (!signal.aborted) {
    let answer: Assignments;
    try {
      answer = await link.assignments(since, signal);
    } catch (err) {
      if (stopped()) return;
      if (connected) log(`agent: cut off from the managers, keeping the tasks running: ${messageOf(err)}`);
      connected = false;
      since = 0;
      await sleep(timers, backoff.next(), signal);
      continue;
    }
    if (!connected) {
      if (!(await converger.offerObserved()) || !(await reporter.flush())) {
        await sleep(timers, backoff.next(), signal);
        continue;
      }
      connected = true;
    }
    backoff.reset();
    since = answer.revision;
    // Networks first (a task's container joins them), then the tasks, then networks no task needs any more.
    void overlays.apply(answer.overlays).then(() => converger.converge(answer)).then(() => overlays.prune());
  }
}

/** Hands the engine's exits and health changes to the converger; when the stream breaks, reopens it and converges again (some may have been missed). */
async function exits({ stopped, timers, signal, log }: Loop, engine: NodeEngine, converger: TaskConverger): Promise<void> {
  const backoff = new Backoff(AGENT_BACKOFF);
  while (!signal.aborted) {
    try {
      for await (const event of engine.events(signal)) {
        backoff.reset();
        void (event.kind === 'exit' ? converger.exited(event) : converger.healthChanged(event));
      }
    } catch (err) {
      if (!stopped()) log(`agent: the engine's exit events broke off: ${messageOf(err)}`);
    }
    if (stopped()) return;
    await sleep(timers, backoff.next(), signal);
    void converger.reconverge();
  }
}
