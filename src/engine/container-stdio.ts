/** Attaching to a container's stdio and sizing its terminal (conmon's attach socket and ctl FIFO). */
import { attachSocketPath, connectAttach, type AttachConnection } from '../runtime/attach-socket.js';
import { resizeTerminal, terminalControlPath } from '../runtime/terminal-resize.js';
import type { AttachRegistry } from './attach-registry.js';
import type { ContainerEvents } from './container-events.js';
import type { ContainerPaths } from './container-paths.js';
import { isActive, type ContainerRecord } from './container-record.js';
import type { ContainerStore } from './container-store.js';

/** What attaching and resizing need of the engine. */
export interface StdioContext {
  store: ContainerStore;
  paths: ContainerPaths;
  events: ContainerEvents;
  attachments: AttachRegistry;
}

/**
 * Connects to the container's stdio: at once when it runs, else when it next starts (so no output
 * is missed). Throws not-found for an unknown container, canceled when `signal` aborts first.
 */
export async function attachContainer(ctx: StdioContext, ref: string, signal: AbortSignal): Promise<{ record: ContainerRecord; connection: AttachConnection }> {
  const record = ctx.store.resolve(ref);
  ctx.events.emit('action', record.id, 'attach', {});
  if (record.state.status === 'running' || record.state.status === 'paused') {
    return { record, connection: await connectAttach(attachSocketPath(ctx.paths.dir(record.id)), signal) };
  }
  return { record, connection: await ctx.attachments.waitForStart(record.id, signal) };
}

/** Sets the size of a running container's terminal; nothing to do without a TTY or a run. */
export async function resizeContainer(ctx: StdioContext, ref: string, rows: number, cols: number): Promise<void> {
  const record = ctx.store.resolve(ref);
  if (record.config.options.tty !== true || !isActive(record.state)) return;
  await resizeTerminal(terminalControlPath(ctx.paths.dir(record.id)), rows, cols);
}

/** Attaching and resizing for the engine's callers: each method is the function it names. */
export class ContainerStdio {
  constructor(private readonly ctx: StdioContext) {}

  /** As `attachContainer`. */
  attach(ref: string, signal: AbortSignal): Promise<{ record: ContainerRecord; connection: AttachConnection }> {
    return attachContainer(this.ctx, ref, signal);
  }

  /** As `resizeContainer`. */
  resize(ref: string, rows: number, cols: number): Promise<void> {
    return resizeContainer(this.ctx, ref, rows, cols);
  }
}
