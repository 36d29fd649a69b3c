import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTAINER_CREATE_INTEGERS, CONTAINER_UPDATE_INTEGERS } from './container-body-integers.js';
import { checkGoIntegers } from './go-integers.js';
import { engineNumber, integerSchema } from '../wire/integers.js';

const refusal = (body: unknown, root = CONTAINER_CREATE_INTEGERS): string => {
  try {
    checkGoIntegers(body, root);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return 'accepted';
};

test("numbers a field's Go type cannot hold get dockerd's decoding message, naming the struct, the path and the value as sent", () => {
  const over = 9223372036854775808n;
  assert.equal(refusal({ HostConfig: { Memory: over } }), 'json: cannot unmarshal number 9223372036854775808 into Go struct field HostConfig.HostConfig.Memory of type int64');
  assert.equal(refusal({ HostConfig: { Memory: -over - 1n } }), 'json: cannot unmarshal number -9223372036854775809 into Go struct field HostConfig.HostConfig.Memory of type int64');
  assert.equal(refusal({ HostConfig: { Memory: 100.5 } }), 'json: cannot unmarshal number 100.5 into Go struct field HostConfig.HostConfig.Memory of type int64');
  assert.equal(refusal({ HostConfig: { BlkioWeight: -1 } }), 'json: cannot unmarshal number -1 into Go struct field HostConfig.HostConfig.BlkioWeight of type uint16');
  assert.equal(refusal({ HostConfig: { Ulimits: [{ Name: 'nofile', Soft: over, Hard: 1 }] } }), 'json: cannot unmarshal number 9223372036854775808 into Go struct field Ulimit.HostConfig.Ulimits.Soft of type int64');
  assert.equal(refusal({ HostConfig: { ConsoleSize: [1, -1] } }), 'json: cannot unmarshal number -1 into Go struct field HostConfig.HostConfig.ConsoleSize of type uint');
  assert.equal(refusal({ HostConfig: { Mounts: [{ TmpfsOptions: { Mode: -1 } }] } }), 'json: cannot unmarshal number -1 into Go struct field TmpfsOptions.HostConfig.Mounts.TmpfsOptions.Mode of type fs.FileMode');
  assert.equal(refusal({ HostConfig: { RestartPolicy: { MaximumRetryCount: over } } }), 'json: cannot unmarshal number 9223372036854775808 into Go struct field RestartPolicy.HostConfig.RestartPolicy.MaximumRetryCount of type int');
  assert.equal(refusal({ StopTimeout: over }), 'json: cannot unmarshal number 9223372036854775808 into Go struct field ContainerConfigWrapper.StopTimeout of type int');
  assert.equal(refusal({ Healthcheck: { Interval: over } }), 'json: cannot unmarshal number 9223372036854775808 into Go struct field HealthConfig.Healthcheck.Interval of type time.Duration');
  assert.equal(refusal({ Memory: over }, CONTAINER_UPDATE_INTEGERS), 'json: cannot unmarshal number 9223372036854775808 into Go struct field UpdateConfig.Memory of type int64');
  assert.equal(refusal({ HostConfig: { CpuShares: over }, StopTimeout: over }), 'json: cannot unmarshal number 9223372036854775808 into Go struct field HostConfig.HostConfig.CpuShares of type int64');
  assert.equal(refusal({ StopTimeout: over, HostConfig: { CpuShares: over } }), 'json: cannot unmarshal number 9223372036854775808 into Go struct field ContainerConfigWrapper.StopTimeout of type int');
  assert.equal(refusal({ BlkioWeight: 70000 }, CONTAINER_UPDATE_INTEGERS), 'json: cannot unmarshal number 70000 into Go struct field UpdateConfig.BlkioWeight of type uint16');
});

test('values the Go types hold, other types and unknown fields are left to the schema', () => {
  assert.equal(refusal({ HostConfig: { Memory: 9223372036854775807n, MemorySwap: -9223372036854775808n, ConsoleSize: [18446744073709551615n, 0], BlkioWeight: 65535 } }), 'accepted');
  assert.equal(refusal({ HostConfig: { Memory: '12', Ulimits: 'x', Mounts: [null] }, Other: 99999999999999999999n }), 'accepted');
  assert.equal(refusal(null), 'accepted');
  assert.equal(refusal([1, 2]), 'accepted');
});

test('the engine takes values beyond ±(2^53−1) as ±(2^53−1); schemas take integers and bigints', () => {
  assert.equal(engineNumber(9223372036854775807n), Number.MAX_SAFE_INTEGER);
  assert.equal(engineNumber(-9223372036854775808n), -Number.MAX_SAFE_INTEGER);
  assert.equal(engineNumber(12n), 12);
  assert.equal(engineNumber(7), 7);
  assert.equal(integerSchema.parse(9223372036854775807n), Number.MAX_SAFE_INTEGER);
  assert.equal(integerSchema.safeParse(1.5).success, false);
});
