/**
 * Timing spans for profiling (bench/container-profile.ts reads them). Off unless the environment
 * variable BERTH_TRACE names a file; then every span appends one JSON line to it:
 * `{"name": "exec runc start", "start": <ms since the epoch>, "ms": <duration>}`. Off, a span costs
 * one comparison. Spans say where time goes; nothing reads them to decide anything.
 */
import { appendFileSync } from 'node:fs';

const file = process.env.BERTH_TRACE ?? '';

/** Whether spans are being written. */
export const tracing = file !== '';

/** Records a span that began at `start` (performance.now()) and ends now. */
export function recordSpan(name: string, start: number): void {
  if (!tracing) return;
  const end = performance.now();
  const line = JSON.stringify({ name, start: performance.timeOrigin + start, ms: Math.round((end - start) * 1000) / 1000 });
  try {
    appendFileSync(file, `${line}\n`);
  } catch {
    // A trace that cannot be written must not fail the traced work.
  }
}

/** Runs `work` and records its span (also when it throws). */
export async function traced<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!tracing) return work();
  const start = performance.now();
  try {
    return await work();
  } finally {
    recordSpan(name, start);
  }
}
