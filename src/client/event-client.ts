/**
 * `GET /events`: the daemon's event stream, one JSON object per line, as an async iterable. It
 * ends when the daemon ends the stream (`until` passed) or `signal` aborts. Errors as
 * ApiTransport (invalid-argument for bad times or filters).
 */
import { createInterface } from 'node:readline';
import type { EventMessage } from '../wire/events.js';
import type { ApiTransport } from './api-transport.js';

/** One event as Docker's API writes it, with `timeNanoText`: `timeNano`'s exact digits. */
export interface DockerEvent extends EventMessage {
  timeNanoText: string;
  /** The line as received. */
  raw: string;
}

export interface EventsOptions {
  /** Unix seconds with a fraction, RFC 3339, or a duration (`10m`). */
  since?: string;
  until?: string;
  filters?: Record<string, string[]>;
}

export class EventClient {
  constructor(private readonly api: ApiTransport) {}

  async *stream(options: EventsOptions = {}, signal?: AbortSignal): AsyncGenerator<DockerEvent> {
    yield* await this.open(options, signal);
  }

  /**
   * `stream`, split in two: resolves once the daemon answered (it follows from then on: every
   * event recorded after this resolves is in the stream), with the events to iterate. Iterate it
   * to its end or abort `signal`, else the connection stays open.
   */
  async open(options: EventsOptions = {}, signal?: AbortSignal): Promise<AsyncGenerator<DockerEvent>> {
    const filters = options.filters !== undefined && Object.keys(options.filters).length > 0 ? JSON.stringify(options.filters) : undefined;
    const response = await this.api.open('GET', '/events', { query: { since: options.since, until: options.until, filters }, ...(signal === undefined ? {} : { signal }) });
    return (async function* events(): AsyncGenerator<DockerEvent> {
      try {
        for await (const line of createInterface({ input: response, crlfDelay: Infinity })) {
          if (line.trim() === '') continue;
          const event = JSON.parse(line) as EventMessage;
          yield { ...event, timeNanoText: /"timeNano":(\d+)/.exec(line)?.[1] ?? String(event.timeNano), raw: line };
        }
      } finally {
        response.destroy();
      }
    })();
  }
}
