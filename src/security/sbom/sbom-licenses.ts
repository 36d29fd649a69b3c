import { isSpdxId } from './licenses.js';

/** A licence reference for a name that is not on the SPDX list (LicenseRef-[idstring]). */
export function licenseRef(name: string): string {
  return `LicenseRef-${name.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'unknown'}`;
}

const isExpression = (value: string): boolean => /\s(OR|AND|WITH)\s/.test(value);

/** One SPDX expression for a package's licences (AND of each), with refs for unlisted names. */
export function licenseExpression(licenses: string[]): { expression: string; refs: Map<string, string> } | undefined {
  if (licenses.length === 0) return undefined;
  const refs = new Map<string, string>();
  const parts = licenses.map((l) => {
    if (isSpdxId(l)) return l;
    if (isExpression(l)) return licenses.length > 1 ? `(${l})` : l;
    const ref = licenseRef(l);
    refs.set(ref, l);
    return ref;
  });
  return { expression: parts.join(' AND '), refs };
}

/** CycloneDX `licenses`: license objects (id or name), or one expression when one is needed. */
export function cyclonedxLicenses(licenses: string[]): object[] | undefined {
  if (licenses.length === 0) return undefined;
  if (licenses.some(isExpression)) {
    const expr = licenseExpression(licenses);
    return expr ? [{ expression: expr.expression }] : undefined;
  }
  return licenses.map((l) => (isSpdxId(l) ? { license: { id: l } } : { license: { name: l } }));
}
