import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Severity } from '../vulns/cvss.js';
import type { Finding } from '../../wire/security.js';
import { findingKey, MAX_EVENT_CONTAINERS, MAX_EVENT_IDS, newFindingsAtFloor, rescanEventAttributes, severityCounts } from './rescan-findings.js';

function finding(id: string, severity: Severity, name = 'minimist', version = '1.2.5'): Finding {
  return { id, aliases: [], severity, package: { name, version, ecosystem: 'npm', purl: `pkg:npm/${name}@${version}`, locations: [] } };
}

test('counts every severity, zeros included', () => {
  assert.deepEqual(severityCounts([finding('A', 'HIGH'), finding('B', 'HIGH'), finding('C', 'UNKNOWN')]), { UNKNOWN: 1, LOW: 0, MEDIUM: 0, HIGH: 2, CRITICAL: 0 });
  assert.deepEqual(severityCounts([]), { UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 });
});

test('new findings: at or above the floor and not reported before; UNKNOWN never passes a floor', () => {
  const all = [finding('C', 'CRITICAL'), finding('H', 'HIGH'), finding('M', 'MEDIUM'), finding('L', 'LOW'), finding('U', 'UNKNOWN')];
  assert.deepEqual(newFindingsAtFloor(all, 'HIGH', new Set()).map((f) => f.id), ['C', 'H']);
  assert.deepEqual(newFindingsAtFloor(all, 'LOW', new Set()).map((f) => f.id), ['C', 'H', 'M', 'L']);
  assert.deepEqual(newFindingsAtFloor(all, 'CRITICAL', new Set()).map((f) => f.id), ['C']);
  assert.deepEqual(newFindingsAtFloor(all, 'HIGH', new Set([findingKey(finding('C', 'CRITICAL'))])).map((f) => f.id), ['H']);
});

test('a finding is keyed by advisory and package version: the same advisory in another package is new', () => {
  const reported = new Set([findingKey(finding('GHSA-1', 'HIGH', 'minimist', '1.2.5'))]);
  const now = [finding('GHSA-1', 'HIGH', 'minimist', '1.2.5'), finding('GHSA-1', 'HIGH', 'minimist', '0.0.8'), finding('GHSA-1', 'HIGH', 'other', '1.2.5')];
  assert.deepEqual(newFindingsAtFloor(now, 'HIGH', reported).map((f) => `${f.package.name}@${f.package.version}`), ['minimist@0.0.8', 'other@1.2.5']);
  // A severity raised by an update is still the same finding.
  assert.equal(findingKey(finding('GHSA-1', 'CRITICAL')), findingKey(finding('GHSA-1', 'LOW')));
});

test('event attributes: name, floor, counts, new ids (unique, bounded) and their total, generation, containers', () => {
  const fresh = [finding('GHSA-a', 'CRITICAL'), finding('GHSA-a', 'CRITICAL', 'other'), finding('GHSA-b', 'HIGH')];
  const attributes = rescanEventAttributes({
    name: 'busybox:latest', floor: 'HIGH', counts: severityCounts([...fresh, finding('M', 'MEDIUM')]), fresh, generation: 7,
    containerIds: ['0123456789abcdef0123', 'fedcba9876543210'],
  });
  assert.deepEqual(attributes, {
    name: 'busybox:latest', 'berth.scan.floor': 'HIGH',
    'berth.scan.unknown': '0', 'berth.scan.low': '0', 'berth.scan.medium': '1', 'berth.scan.high': '1', 'berth.scan.critical': '2',
    'berth.scan.new': 'GHSA-a,GHSA-b', 'berth.scan.new.count': '2', 'berth.scan.generation': '7', 'berth.scan.containers': '0123456789ab,fedcba987654',
  });
  const many = Array.from({ length: MAX_EVENT_IDS + 5 }, (_, i) => finding(`GHSA-${i}`, 'HIGH'));
  const bounded = rescanEventAttributes({ name: 'x', floor: 'LOW', counts: severityCounts(many), fresh: many, generation: 1, containerIds: Array.from({ length: 30 }, (_, i) => `c${i}`) });
  assert.equal(bounded['berth.scan.new']?.split(',').length, MAX_EVENT_IDS);
  assert.equal(bounded['berth.scan.new.count'], String(MAX_EVENT_IDS + 5));
  assert.equal(bounded['berth.scan.containers']?.split(',').length, MAX_EVENT_CONTAINERS);
});
