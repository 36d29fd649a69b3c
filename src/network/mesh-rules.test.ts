import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meshScript, meshTable } from './mesh-rules.js';

const ID = 'ab12'.repeat(16);

test('published ports: DNAT from every local address (prerouting and output) round robin over the backends, masquerade into the ingress bridge, refuse a port without backends', () => {
  const script = meshScript(ID, [
    { Protocol: 'tcp', Port: 8080, TargetPort: 80, Backends: ['10.0.0.5', '10.0.0.6'] },
    { Protocol: 'udp', Port: 5353, TargetPort: 53, Backends: ['10.0.0.7'] },
    { Protocol: 'tcp', Port: 9000, TargetPort: 90, Backends: [] },
    { Protocol: 'tcp', Port: 8080, TargetPort: 81, Backends: ['10.0.0.9'] },
  ]);
  const table = meshTable(ID);
  assert.equal(table, 'berth-mesh-ab12ab12ab12');
  assert.match(script, new RegExp(`^table ip ${table}\ndelete table ip ${table}\n`));
  assert.match(script, /tcp dport 8080 dnat ip to numgen inc mod 2 map \{ 0 : 10\.0\.0\.5 \. 80, 1 : 10\.0\.0\.6 \. 80 \}/);
  assert.match(script, /udp dport 5353 dnat ip to 10\.0\.0\.7:53/);
  assert.doesNotMatch(script, /10\.0\.0\.9/, 'a port given twice: the first counts');
  assert.equal(script.match(/fib daddr type local jump ports/g)?.length, 2);
  assert.match(script, /oifname "bn-ab12ab12ab12" ct status dnat masquerade/);
  assert.match(script, /tcp dport 9000 reject with tcp reset/);
});

test('no ports: the table is only removed', () => {
  assert.equal(meshScript(ID, []), `table ip ${meshTable(ID)}\ndelete table ip ${meshTable(ID)}\n`);
});
