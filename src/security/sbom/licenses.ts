import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const SPDX_IDS: string[] = require('spdx-license-ids') as string[];
const BY_LOWER = new Map(SPDX_IDS.map((id) => [id.toLowerCase(), id]));

/** Short names Debian copyright files and package metadata use for SPDX licences. */
const ALIASES: Record<string, string> = {
  'gpl-1': 'GPL-1.0-only', 'gpl-1+': 'GPL-1.0-or-later', 'gpl-2': 'GPL-2.0-only', 'gpl-2+': 'GPL-2.0-or-later',
  'gpl-3': 'GPL-3.0-only', 'gpl-3+': 'GPL-3.0-or-later', 'lgpl-2': 'LGPL-2.0-only', 'lgpl-2+': 'LGPL-2.0-or-later',
  'lgpl-2.1': 'LGPL-2.1-only', 'lgpl-2.1+': 'LGPL-2.1-or-later', 'lgpl-3': 'LGPL-3.0-only', 'lgpl-3+': 'LGPL-3.0-or-later',
  'agpl-3': 'AGPL-3.0-only', 'agpl-3+': 'AGPL-3.0-or-later', 'gfdl-1.2+': 'GFDL-1.2-or-later', 'gfdl-1.3+': 'GFDL-1.3-or-later',
  expat: 'MIT', 'mit license': 'MIT', 'bsd-2-clause': 'BSD-2-Clause', 'bsd-3-clause': 'BSD-3-Clause', 'bsd-4-clause': 'BSD-4-Clause',
  'apache-2': 'Apache-2.0', 'apache 2.0': 'Apache-2.0', 'apache license 2.0': 'Apache-2.0', 'apache software license': 'Apache-2.0',
  'mpl-2': 'MPL-2.0', 'zlib': 'Zlib', 'isc license (iscl)': 'ISC', 'python software foundation license': 'PSF-2.0',
  'bsd license': 'BSD-3-Clause', 'gnu general public license v2 (gplv2)': 'GPL-2.0-only', 'gnu general public license v3 (gplv3)': 'GPL-3.0-only',
  'artistic': 'Artistic-1.0-Perl', 'perl': 'Artistic-1.0-Perl OR GPL-1.0-or-later',
};

/** The SPDX id (or expression) a licence name stands for, if berth knows it. */
export function spdxLicenseId(name: string): string | undefined {
  const lower = name.trim().toLowerCase();
  return ALIASES[lower] ?? BY_LOWER.get(lower);
}

/** Whether a string is exactly one SPDX licence id of the official list. */
export function isSpdxId(id: string): boolean {
  return BY_LOWER.get(id.toLowerCase()) === id;
}

/** Names mapped to SPDX ids where known, others kept as given; duplicates removed. */
export function normalizeLicenses(names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const value = spdxLicenseId(name) ?? name.trim();
    if (value !== '' && !out.includes(value)) out.push(value);
  }
  return out;
}
