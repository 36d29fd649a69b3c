/**
 * `berth events`: the daemon's events, as the docker CLI prints them — one line per event
 * (`<time> <type> <action> <actor id> (k=v, …)`), `--format json` (one JSON object per line) or a
 * `{{.Field}}` template. With `--until` it ends; otherwise it follows until interrupted.
 */
import type { GlobalOptions } from '../args/command-spec.js';
import type { DockerEvent } from '../../client/event-client.js';
import { withClient } from '../context.js';
import { renderFieldTemplate } from '../field-template.js';
import { apiTime } from '../time-arg.js';
import { parseFilters } from './container-list.js';

export interface EventsFlags {
  since?: string;
  until?: string;
  filter: string[];
  format?: string;
}

/** `2026-01-02T15:04:05.123456789Z container start 3f2a… (image=busybox, name=web)`. */
export function eventLine(event: DockerEvent): string {
  const seconds = BigInt(event.timeNanoText) / 1_000_000_000n;
  const nanos = (BigInt(event.timeNanoText) % 1_000_000_000n).toString().padStart(9, '0');
  const time = `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${nanos}Z`;
  const attributes = Object.entries(event.Actor.Attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`);
  return `${time} ${event.Type} ${event.Action} ${event.Actor.ID}${attributes.length === 0 ? '' : ` (${attributes.join(', ')})`}`;
}

export async function eventsAction(globals: GlobalOptions, flags: EventsFlags): Promise<void> {
  const now = new Date();
  const since = flags.since === undefined ? undefined : apiTime(flags.since, now, '--since');
  const until = flags.until === undefined ? undefined : apiTime(flags.until, now, '--until');
  const filters = parseFilters(flags.filter);
  const format = flags.format;
  await withClient(globals, async (client) => {
    const aborter = new AbortController();
    const stop = (): void => { aborter.abort(); };
    process.once('SIGINT', stop);
    try {
      for await (const event of client.events.stream({ ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }), filters }, aborter.signal)) {
        const { raw, timeNanoText: _text, ...shown } = event;
        const text = format === 'json' ? raw : format === undefined || format === '' ? eventLine(event) : renderFieldTemplate(format, shown);
        process.stdout.write(`${text}\n`);
      }
    } catch (err) {
      if (!aborter.signal.aborted) throw err;
    } finally {
      process.off('SIGINT', stop);
    }
  });
}
