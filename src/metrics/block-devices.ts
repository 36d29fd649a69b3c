/**
 * Names of block devices by device number (`8:0` → `/dev/sda`), as cAdvisor labels per-device
 * series (`device="/dev/sda"`). Read from sysfs once per device and kept: device numbers do not
 * change names while the host runs.
 */
import { readFileSync } from 'node:fs';

/** `DEVNAME=sda` of a sysfs uevent file; undefined when absent. */
export function devnameOf(uevent: string): string | undefined {
  const line = uevent.split('\n').find((l) => l.startsWith('DEVNAME='));
  const name = line?.slice('DEVNAME='.length).trim();
  return name === undefined || name === '' ? undefined : name;
}

/** The major and minor numbers of a `stat().dev` (glibc's gnu_dev_major/minor). */
export function splitDeviceNumber(dev: number): { major: number; minor: number } {
  const big = BigInt(dev);
  const major = Number(((big >> 8n) & 0xfffn) | ((big >> 32n) & ~0xfffn));
  const minor = Number((big & 0xffn) | ((big >> 12n) & ~0xffn));
  return { major, minor };
}

export class BlockDevices {
  readonly #names = new Map<string, string>();

  constructor(private readonly sysDevBlock = '/sys/dev/block') {}

  /** `/dev/<name>`, or `major:minor` when sysfs does not know the device. */
  name(major: number, minor: number): string {
    const key = `${major}:${minor}`;
    let name = this.#names.get(key);
    if (name === undefined) {
      let uevent = '';
      try {
        uevent = readFileSync(`${this.sysDevBlock}/${key}/uevent`, 'utf8');
      } catch {
        // Not a block device sysfs knows (a virtual filesystem's anonymous device): keep the numbers.
      }
      const devname = devnameOf(uevent);
      name = devname === undefined ? key : `/dev/${devname}`;
      this.#names.set(key, name);
    }
    return name;
  }
}
