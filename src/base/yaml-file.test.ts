import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { checkYaml } from './yaml-file.js';

const schema = z.strictObject({ interval: z.number().optional(), rules: z.array(z.strictObject({ name: z.string(), mode: z.enum(['a', 'b']) })) });

describe('checkYaml', () => {
  it('returns the checked data and fails at a path with the item named', () => {
    const file = checkYaml('rules:\n  - name: one\n    mode: a\n', 'f.yaml', schema, 'invalid-thing', { rules: 'rule' });
    assert.deepEqual(file.data, { rules: [{ name: 'one', mode: 'a' }] });
    assert.throws(() => file.fail(['rules', 0, 'mode'], 'no'), { reason: 'invalid-thing', message: 'f.yaml:3: rule "one" (rules[0]): field mode: no' });
  });

  it('names the line, item and field of a schema error, and the line of a YAML error', () => {
    assert.throws(() => checkYaml('rules:\n  - mode: c\n', 'f.yaml', schema, 'invalid-thing', { rules: 'rule' }), { message: /^f\.yaml:2: rule rules\[0\]: field name: / });
    assert.throws(() => checkYaml('interval: x\nrules: []\n', 'f.yaml', schema, 'invalid-thing', { rules: 'rule' }), { message: /^f\.yaml:1: field interval: / });
    assert.throws(() => checkYaml('rules: [\n', 'f.yaml', schema, 'invalid-thing', {}), { message: /^f\.yaml:\d+: not valid YAML: / });
  });
});
