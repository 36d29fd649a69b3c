/**
 * The small languages of container options, as the CLI and the API hand them over: port specs and
 * bindings, binds and volume options, restart policies, links, volumes-from, device cgroup rules,
 * detach keys, sizes and durations, log options, security options and seccomp profiles, users
 * against an image's passwd/group, subordinate id ranges, capability masks, addresses, bridge
 * options and log file lines. The input is `<parser>\n<text>`; multi-argument parsers read
 * further lines.
 */
import { parseByteSize } from '../../src/base/byte-size.js';
import { goDurationMs } from '../../src/base/go-duration.js';
import { parseGoDuration } from '../../src/build/steps/go-duration.js';
import { parseLink } from '../../src/engine/container-links.js';
import { parseRestartFlag } from '../../src/engine/restart/restart-policy.js';
import { parseVolumesFrom } from '../../src/engine/volumes-from.js';
import { parseOsRelease } from '../../src/api/host-info.js';
import { parseCidr, requireCidr } from '../../src/network/ipv4.js';
import { canonicalIpv6, parseCidr6 } from '../../src/network/ipv6.js';
import { bridgeOptions } from '../../src/network/network-options.js';
import { parsePortKey, parsePublishSpec } from '../../src/wire/port-specs.js';
import { checkMacAddress } from '../../src/network/static-address.js';
import { parseLogRecord } from '../../src/runtime/k8s-file-log.js';
import { decodeJsonLogLine } from '../../src/runtime/logging/json-file-line.js';
import { checkLogSettings, jsonFileRotation, k8sFileMaxSize, localRotation } from '../../src/runtime/logging/log-options.js';
import { parseSeccompProfile } from '../../src/runtime/seccomp/seccomp-profile.js';
import { capabilitiesFromMask } from '../../src/runtime/spec/capabilities.js';
import { parseDeviceCgroupRule } from '../../src/runtime/spec/device-cgroup-rules.js';
import { resolveUser } from '../../src/runtime/spec/resolve-user.js';
import { parseSecurityOptions } from '../../src/runtime/spec/security-options.js';
import { subordinateRange } from '../../src/runtime/userns/id-ranges.js';
import { parseDetachKeys } from '../../src/stdio/detach-keys.js';
import { parseBindSpec } from '../../src/volumes/bind-spec.js';
import { parseLocalOptions } from '../../src/volumes/local-driver-options.js';
import { fields, jsonOf, select } from '../support/input.js';
import { refusing } from '../support/refusal.js';

/** A JSON object of strings, as the API's schemas let through; undefined otherwise. */
function stringMap(text: string): Record<string, string> | undefined {
  const value = jsonOf(text)?.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.every((entry): entry is [string, string] => typeof entry[1] === 'string') ? Object.fromEntries(entries) : undefined;
}

const parsers: Record<string, (text: string) => void> = {
  publish: (text) => { refusing(() => parsePublishSpec(text)); },
  'port-key': (text) => { refusing(() => parsePortKey(text)); },
  bind: (text) => { refusing(() => parseBindSpec(text)); },
  'local-volume': (text) => {
    const options = stringMap(text);
    if (options !== undefined) refusing(() => parseLocalOptions(options));
  },
  restart: (text) => { refusing(() => parseRestartFlag(text, text.length % 2 === 0)); },
  link: (text) => { refusing(() => parseLink(text, 'HostConfig.Links[0]')); },
  'volumes-from': (text) => { refusing(() => parseVolumesFrom(text, 'HostConfig.VolumesFrom[0]')); },
  'device-cgroup-rule': (text) => { refusing(() => parseDeviceCgroupRule(text, 'HostConfig.DeviceCgroupRules[0]')); },
  'detach-keys': (text) => { refusing(() => parseDetachKeys(text)); },
  'byte-size': (text) => { refusing(() => parseByteSize(text, 'size')); },
  durations: (text) => {
    goDurationMs(text);
    parseGoDuration(text);
  },
  'log-options': (text) => {
    const [type = '', json = ''] = fields(text, 2);
    const options = stringMap(json);
    if (options === undefined) return;
    refusing(() => checkLogSettings(type, options));
    refusing(() => jsonFileRotation(options));
    refusing(() => localRotation(options));
    refusing(() => k8sFileMaxSize(options));
  },
  'security-opt': (text) => { refusing(() => parseSecurityOptions(text.split('\n'))); },
  'seccomp-profile': (text) => { refusing(() => parseSeccompProfile(text)); },
  user: (text) => {
    const [spec = '', passwd = '', group = ''] = fields(text, 3).map((part) => part.replaceAll('\\n', '\n'));
    refusing(() => resolveUser(spec, passwd, group));
  },
  subuid: (text) => { subordinateRange(text, 'berth'); },
  'capability-mask': (text) => { refusing(() => capabilitiesFromMask(text)); },
  addresses: (text) => {
    parseCidr(text);
    parseCidr6(text);
    canonicalIpv6(text);
    refusing(() => requireCidr(text, 'Subnet'));
    refusing(() => checkMacAddress(text, 'MacAddress'));
  },
  'bridge-options': (text) => {
    const options = stringMap(text);
    if (options !== undefined) refusing(() => bridgeOptions(options));
  },
  'os-release': (text) => { parseOsRelease(text); },
  'log-lines': (text) => {
    for (const line of text.split('\n')) {
      refusing(() => decodeJsonLogLine(line), ['invalid-argument', 'data-loss']);
      refusing(() => parseLogRecord(line), ['invalid-argument', 'data-loss']);
    }
  },
};

export function fuzz(data: Buffer): void {
  const { entry, rest } = select(data, parsers);
  entry(rest);
}
