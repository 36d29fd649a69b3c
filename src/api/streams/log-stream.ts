/**
 * `GET /containers/{id}/logs`: the container's log as Docker streams it — multiplexed frames
 * without a TTY, raw bytes with one; optional RFC 3339 nanosecond timestamps; `follow` keeps the
 * response open until the container exits (or the client goes away).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../../base/errors.js';
import type { ContainerEngine } from '../../engine/container-engine.js';
import { isActive, type ContainerRecord } from '../../engine/container-record.js';
import type { LogEntry, LogStream } from '../../runtime/k8s-file-log.js';
import type { LogFilter } from '../../runtime/log-reader.js';
import { queryBool, queryString, queryTimeNs, type Query } from '../query.js';
import { stdioFrame } from '../../stdio/stdio-frames.js';

/** `2026-11-26T22:59:35.885123456Z`: Docker's timestamp format, always UTC with 9 digits. */
export function rfc3339Nano(timeNs: bigint): string {
  const seconds = timeNs / 1_000_000_000n;
  const nanos = (timeNs % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${nanos}Z`;
}

/** One entry as dockerd sends it: a partial one (a long line split, output ended mid-line) without a newline. */
export function encodeLogEntry(entry: LogEntry, tty: boolean, timestamps: boolean): Buffer {
  const payload = Buffer.from(`${timestamps ? `${rfc3339Nano(entry.timeNs)} ` : ''}${entry.line}${entry.partial === true ? '' : '\n'}`);
  return tty ? payload : stdioFrame(entry.stream, payload);
}

/** `tail`: a line count, or undefined for all (`all`, empty or negative, as dockerd). */
export function parseTail(value: string | undefined): number | undefined {
  if (value === undefined || value === '' || value === 'all') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw errors.invalidArgument('invalid-tail', `tail: "${value}" is neither a number nor "all"`);
  return n < 0 ? undefined : n;
}

export async function sendLogs(request: FastifyRequest<{ Querystring: Query }>, reply: FastifyReply, engine: ContainerEngine, record: ContainerRecord): Promise<void> {
  const query = request.query;
  const streams: LogStream[] = [];
  if (queryBool(query, 'stdout')) streams.push('stdout');
  if (queryBool(query, 'stderr')) streams.push('stderr');
  if (streams.length === 0) throw errors.invalidArgument('no-streams', 'Bad parameters: you must choose at least one stream');
  const filter: LogFilter = { streams };
  const sinceNs = queryTimeNs(query, 'since');
  const untilNs = queryTimeNs(query, 'until');
  const tail = parseTail(queryString(query, 'tail'));
  if (sinceNs !== undefined) filter.sinceNs = sinceNs;
  if (tail !== undefined) filter.tail = tail;
  const tty = record.config.options.tty === true;
  const timestamps = queryBool(query, 'timestamps');
  engine.logs.checkReadable(record); // before the headers: none keeps no log (501, as dockerd)
  const contentType = tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream';

  const follow = queryBool(query, 'follow') && untilNs === undefined;
  if (!follow) {
    const entries = await engine.logs.read(record, untilNs === undefined ? filter : { ...filter, untilNs });
    void reply.hijack();
    reply.raw.writeHead(200, { 'Content-Type': contentType });
    reply.raw.end(Buffer.concat(entries.map((e) => encodeLogEntry(e, tty, timestamps))));
    return;
  }
  void reply.hijack();
  reply.raw.writeHead(200, { 'Content-Type': contentType });
  reply.raw.flushHeaders();
  const aborter = new AbortController();
  request.raw.socket.once('close', () => { aborter.abort(); });
  // Subscribe before looking at the state, so an exit in between is not missed.
  const exit = engine.events.next('exit', record.id, aborter.signal);
  const removed = engine.events.next('removed', record.id, aborter.signal);
  const current = engine.find(record.id);
  const done = current === undefined || !isActive(current.state) ? Promise.resolve() : Promise.race([exit.promise, removed.promise]);
  // Rejects when the waits are aborted or cancelled (the client went away, the follow ended): the
  // follow only waits for it to settle, either way.
  done.catch(() => undefined);
  try {
    for await (const entry of engine.logs.follow(record, aborter.signal, filter, done)) {
      if (!reply.raw.write(encodeLogEntry(entry, tty, timestamps))) {
        await new Promise((resolve) => { reply.raw.once('drain', resolve); reply.raw.once('close', resolve); });
      }
    }
  } finally {
    exit.cancel();
    removed.cancel();
    reply.raw.end();
  }
}
