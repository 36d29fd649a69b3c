/**
 * The dashboard's live streams, as server-sent events (the browser's EventSource, which sends the
 * session cookie): berthd's event stream, a container's chart points, and its logs as they come.
 * Each stream follows one berthd stream through client/ and stops it when the browser goes away.
 * When berthd's stream ends (logs of a stopped container), an `end` event tells the page not to
 * reconnect; a failure sends an `error-message` event with berthd's words.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { messageOf } from '../base/errors.js';
import type { BerthClient } from '../client/berth-client.js';
import { copyOutput, RAW_STREAM } from '../client/stdio-output.js';
import { statsPoint, type StatsSample } from './stats-point.js';

/** One event stream to the browser. */
class EventStream {
  constructor(private readonly response: ServerResponse) {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    response.write(': open\n\n');
  }

  send(data: unknown, event?: string): void {
    if (this.response.writableEnded || this.response.destroyed) return;
    this.response.write(`${event === undefined ? '' : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`);
  }

  end(): void {
    this.send({}, 'end');
    this.response.end();
  }

  fail(err: unknown): void {
    this.send({ message: messageOf(err) }, 'error-message');
    this.response.end();
  }
}

/** Splits written bytes into lines and sends each as `{stream, line}`. */
class LineSink extends Writable {
  #pending = '';

  constructor(private readonly stream: 'stdout' | 'stderr', private readonly out: EventStream) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    const lines = (this.#pending + chunk.toString('utf8')).split('\n');
    this.#pending = lines.pop() ?? '';
    for (const line of lines) this.out.send({ stream: this.stream, line });
    callback();
  }

  flushRest(): void {
    if (this.#pending !== '') this.out.send({ stream: this.stream, line: this.#pending });
    this.#pending = '';
  }
}

/** An abort signal that fires when the browser closes the connection. */
function closedBy(request: IncomingMessage, response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => { controller.abort(); });
  request.once('aborted', () => { controller.abort(); });
  return controller.signal;
}

/** Runs `follow` as one stream: ends with `end`, or `error-message` unless the browser left. */
async function serve(request: IncomingMessage, response: ServerResponse, follow: (out: EventStream, signal: AbortSignal) => Promise<void>): Promise<void> {
  const signal = closedBy(request, response);
  const out = new EventStream(response);
  try {
    await follow(out, signal);
    out.end();
  } catch (err) {
    if (signal.aborted) return;
    out.fail(err);
  }
}

/** berthd's events from now on, each as berthd wrote it. */
export function streamEvents(client: BerthClient, request: IncomingMessage, response: ServerResponse): Promise<void> {
  return serve(request, response, async (out, signal) => {
    for await (const event of await client.events.open({}, signal)) out.send(JSON.parse(event.raw));
  });
}

/** A chart point (stats-point.ts) per document of the container's stats stream. */
export function streamStats(client: BerthClient, id: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  return serve(request, response, async (out, signal) => {
    const stats = await client.containers.statsStream(id, signal);
    let previous: StatsSample | undefined;
    for await (const line of createInterface({ input: stats, crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      const sample = JSON.parse(line) as StatsSample;
      const point = statsPoint(sample, previous);
      if (point !== undefined) out.send(point);
      previous = sample;
    }
  });
}

/** The last `tail` lines of the container's logs, then the new ones as they come, each as `{stream, line}`. */
export function streamLogs(client: BerthClient, id: string, tail: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  return serve(request, response, async (out, signal) => {
    const logs = await client.containers.logs(id, { follow: true, tail }, signal);
    const sinks = { stdout: new LineSink('stdout', out), stderr: new LineSink('stderr', out) };
    await copyOutput(logs, logs.headers['content-type'] === RAW_STREAM, sinks);
    sinks.stdout.flushRest();
    sinks.stderr.flushRest();
  });
}
