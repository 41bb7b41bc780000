/**
 * This app's version, the same as package.json's (test/unit/appVersion.test.ts keeps them equal). The composition
 * root passes it to the store, which compares it with the oldest version a shared database accepts.
 */
export const APP_VERSION = '0.2.0';

/** Compares dotted numeric versions (`1.2.10` > `1.2.9`); a pre-release or build suffix is ignored. */
export function compareAppVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[-+]/)[0]!.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
