import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { logFormat, logLevel, openDaemonLogger, textLine } from './daemon-logger.js';

function collect(format: 'text' | 'json', level: 'debug' | 'info' | 'warn' | 'error'): { logger: ReturnType<typeof openDaemonLogger>; text: () => string } {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { logger: openDaemonLogger(level, format, out), text: () => chunks.join('') };
}

test('JSON lines carry the level\'s name, an ISO time, the component and the fields', () => {
  const { logger, text } = collect('json', 'info');
  logger.sink.write('warn', 'disk watermark pass', { component: 'berthd', err: new Error('EIO') });
  logger.sink.write('debug', 'not shown at info', {});
  const lines = text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, 1);
  const [line] = lines;
  assert.ok(line !== undefined);
  assert.equal(line.level, 'warn');
  assert.equal(line.component, 'berthd');
  assert.equal(line.msg, 'disk watermark pass');
  assert.match(String(line.time), /^\d{4}-\d\d-\d\dT/);
  assert.equal((line.err as { message: string }).message, 'EIO');
});

test('text lines read as `time LEVEL component: message key=value`, and request children carry reqId', () => {
  assert.equal(textLine('{"level":"info","time":"2026-12-07T17:00:00.000Z","component":"api","reqId":"req-3","msg":"request","status":200}'),
    '2026-12-07T17:00:00.000Z INFO api: request reqId=req-3 status=200\n');
  const { logger, text } = collect('text', 'debug');
  logger.pino.child({ component: 'api', reqId: 'req-1' }).debug({ status: 204 }, 'request');
  assert.match(text(), /^\S+ DEBUG api: request reqId=req-1 status=204\n$/);
});

test('bad --log-level and --log-format values are refused naming the option', () => {
  assert.throws(() => logLevel('loud'), /--log-level loud: want one of debug, info, warn, error/);
  assert.throws(() => logFormat('xml'), /--log-format xml: want text or json/);
});
