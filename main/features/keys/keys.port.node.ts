import { countOf, type HomeWorkProvider } from '../home/home.port.node.ts';

/** What other features may use of keys: Home's key status (rotation and backups add providers of their own). */

/** Home (IT): the domain key versions that exist today, per purpose, and whether every customer has its own key. */
export function keyVersionsHomeWork(): HomeWorkProvider {
  return {
    id: 'keys',
    permissions: ['keys.manage'],
    async items(q) {
      const rows = await q('domain_keys').groupBy('purpose').orderBy('purpose').select<{ purpose: string; latest: number | string; n: number | string }[]>('purpose', q.raw('max(version) as latest'), q.raw('count(*) as n'));
      const versions = rows.reduce((sum, r) => sum + Number(r.n), 0);
      const migrated = (await q('meta').where({ key: 'customer_keys_migrated' }).first<{ value: string } | undefined>('value'))?.value === 'done';
      const pending = migrated ? 0 : countOf(await q('customers').whereNotExists((b) => void b.select(q.raw('1')).from('customer_keys').whereRaw('customer_keys.customer_id = customers.id')).count<{ n: number | string }[]>({ n: '*' }));
      return [
        {
          id: 'keys.versions',
          section: 'system',
          label: 'Key versions in use',
          count: versions,
          tone: 'info',
          page: 'keys',
          detail: rows.map((r) => `${r.purpose} v${Number(r.latest)}`).join(' · ') || null,
          at: null,
        },
        { id: 'keys.customersWithoutKey', section: 'system', label: 'Customers still moving to their own key', count: pending, tone: pending ? 'warning' : 'ok', page: 'tasks', detail: null, at: null },
      ];
    },
  };
}
