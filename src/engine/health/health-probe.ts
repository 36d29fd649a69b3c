/**
 * One health probe: the check's command as an exec in the container (the engine's exec path, so
 * it runs with the container's user, env, capabilities and limits), its output kept up to 4096
 * bytes, killed when it exceeds the timeout (exit code -1, as Docker reports it).
 */
import type { Clock, Timers } from '../../base/clock.js';
import type { AttachConnection } from '../../runtime/attach-socket.js';
import type { ExecSessions } from '../exec-sessions.js';
import type { HealthcheckConfig } from './health-config.js';
import { HEALTH_OUTPUT_MAX, type ProbeResult } from './health-state.js';
import { componentLogger } from '../../base/logger.js';
import { errnoCode, messageOf } from '../../base/errors.js';

const log = componentLogger('engine');

async function collect(connection: AttachConnection): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const { data } of connection) {
      if (size < HEALTH_OUTPUT_MAX) chunks.push(data.subarray(0, HEALTH_OUTPUT_MAX - size));
      size += data.length;
    }
  } catch {
    // The probe's output ended badly: keep what came.
  }
  return Buffer.concat(chunks).toString('utf8');
}

function seconds(ns: number): string {
  return `${Math.round(ns / 1e6) / 1000}s`;
}

/** Never throws: a probe that cannot run is a failed result with the reason as output. */
export async function runProbe(execs: ExecSessions, containerId: string, config: HealthcheckConfig, clock: Clock, timers: Timers): Promise<ProbeResult> {
  const start = clock.now().toISOString();
  const result = (exitCode: number, output: string): ProbeResult => ({ start, end: clock.now().toISOString(), exitCode, output });
  let execId: string | undefined;
  try {
    const session = execs.create(containerId, { cmd: config.command, attachStdout: true, attachStderr: true });
    execId = session.id;
    const { connection } = await execs.start(session.id, true);
    const output = connection === undefined ? Promise.resolve('') : collect(connection);
    let cancelTimeout = (): void => undefined;
    const timedOut = new Promise<'timeout'>((resolve) => { cancelTimeout = timers.after(config.timeoutNs / 1e6, () => { resolve('timeout'); }); });
    const outcome = await Promise.race([session.exited ?? Promise.resolve(-1), timedOut]);
    cancelTimeout();
    if (outcome === 'timeout') {
      try {
        if (session.pid > 0) process.kill(session.pid, 'SIGKILL');
      } catch (err) {
        // ESRCH: already gone.
        if (errnoCode(err) !== 'ESRCH') log.warn('killing a health probe that timed out failed', { err, id: containerId, pid: session.pid });
      }
      connection?.close();
      return result(-1, `Health check exceeded timeout (${seconds(config.timeoutNs)})`);
    }
    return result(outcome, await output);
  } catch (err) {
    return result(-1, messageOf(err));
  } finally {
    if (execId !== undefined) execs.discard(execId);
  }
}
