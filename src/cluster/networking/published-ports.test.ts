import { test } from 'node:test';
import assert from 'node:assert/strict';
import { publishedPortSchema, type PublishedPort } from '../objects/published-port.js';
import { keepAssigned, planPublishedPorts } from './published-ports.js';

const port = (input: Partial<PublishedPort> & { targetPort: number }): PublishedPort => publishedPortSchema.parse(input);
const names = (id: string): string => ({ s1: 'web', s2: 'api' })[id] ?? id;

test('a new service claims its ingress ports; one left out gets the lowest free from 30000; host-mode ports claim nothing', () => {
  const claims = new Map([['tcp-30000', 's2'], ['tcp-8080', 's2']]);
  const plan = planPublishedPorts('s1', [port({ targetPort: 80, publishedPort: 9090 }), port({ targetPort: 81 }), port({ targetPort: 443, publishedPort: 8080, publishMode: 'host' })], claims, names);
  assert.deepEqual(plan.ports.map((p) => p.publishedPort), [9090, 30001, 8080]);
  assert.deepEqual(plan.claim.sort(), ['tcp-30001', 'tcp-9090']);
  assert.deepEqual(plan.release, []);
});

test('a port another service holds is refused naming it; a port given twice is refused naming the field', () => {
  const claims = new Map([['tcp-8080', 's2']]);
  assert.throws(() => planPublishedPorts('s1', [port({ targetPort: 80, publishedPort: 8080 })], claims, names), /port 8080\/tcp is already published by service api/);
  assert.throws(() => planPublishedPorts('s1', [port({ targetPort: 80, publishedPort: 9000 }), port({ targetPort: 81, publishedPort: 9000 })], new Map(), names),
    /ports\[1\]: port 9000\/tcp is published twice/);
  // The same number over UDP is another port.
  const plan = planPublishedPorts('s1', [port({ targetPort: 53, publishedPort: 8080, protocol: 'udp' })], claims, names);
  assert.deepEqual(plan.claim, ['udp-8080']);
});

test('an update keeps what it still publishes, releases the rest, and keeps its picked ports', () => {
  const claims = new Map([['tcp-8080', 's1'], ['tcp-30000', 's1'], ['tcp-30001', 's2']]);
  const wanted = keepAssigned([port({ targetPort: 80 })], [port({ targetPort: 90, publishedPort: 8080 }), port({ targetPort: 80, publishedPort: 30000 })]);
  const plan = planPublishedPorts('s1', wanted, claims, names);
  assert.deepEqual(plan.ports.map((p) => p.publishedPort), [30000]);
  assert.deepEqual(plan.claim, []);
  assert.deepEqual(plan.release, ['tcp-8080']);
});
