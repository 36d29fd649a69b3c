/** Attaching to a container's stdio and sizing its terminal (conmon's attach socket and ctl FIFO). */
import { attachSocketPath, connectAttach, type AttachConnection } from '../runtime/attach-socket.js';
import { resizeTerminal, terminalControlPath } from '../runtime/terminal-resize.js';
import type { ContainerEngine } from './container-engine.js';
import { isActive, type ContainerRecord } from './container-record.js';

/**
 * Connects to the container's stdio: at once when it runs, else when it next starts (so no output
 * is missed). Throws not-found for an unknown container, canceled when `signal` aborts first.
 */
export async function attachContainer(engine: ContainerEngine, ref: string, signal: AbortSignal): Promise<{ record: ContainerRecord; connection: AttachConnection }> {
  const record = engine.store.resolve(ref);
  engine.events.emit('action', record.id, 'attach', {});
  if (record.state.status === 'running' || record.state.status === 'paused') {
    return { record, connection: await connectAttach(attachSocketPath(engine.paths.dir(record.id)), signal) };
  }
  return { record, connection: await engine.attachments.waitForStart(record.id, signal) };
}

/** Sets the size of a running container's terminal; nothing to do without a TTY or a run. */
export async function resizeContainer(engine: ContainerEngine, ref: string, rows: number, cols: number): Promise<void> {
  const record = engine.store.resolve(ref);
  if (record.config.options.tty !== true || !isActive(record.state)) return;
  await resizeTerminal(terminalControlPath(engine.paths.dir(record.id)), rows, cols);
}
