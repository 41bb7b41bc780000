import type { CoreOptions } from '../../main/core.node.ts';
import type { ApiResult } from '../../main/platform/ipc/errors.std.ts';
import { ADMIN, startCore, type TestCore } from './core.ts';
import { countRows } from '../../main/platform/store/queries.node.ts';

/** Test users for customer-record tests; each is signed in on its own sender (window). */
export const USERS = {
  staff: { username: 'sam.staff', displayName: 'Sam Staff', role: 'staff' },
  staff2: { username: 'sid.staff', displayName: 'Sid Staff', role: 'staff' },
  manager: { username: 'mia.manager', displayName: 'Mia Manager', role: 'manager' },
  manager2: { username: 'max.manager', displayName: 'Max Manager', role: 'manager' },
  auditor: { username: 'aud.auditor', displayName: 'Aud Auditor', role: 'auditor' },
} as const;
export type Who = keyof typeof USERS | 'admin';
export const PASSWORD = 'correct horse battery staple';

export interface CustomerTestCore extends TestCore {
  // Tests probe replies field by field (including fields that must be absent), so results are loosely typed here.
  /** Calls as a user; throws on an error result. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  as<T = any>(who: Who, channel: string, input: unknown): Promise<T>;
  /** Calls as a user and returns the raw result. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  try(who: Who, channel: string, input: unknown): Promise<ApiResult<any>>;
  userId: Record<Who, string>;
  reauth(who: Who): Promise<void>;
  count(table: string): Promise<number>;
  counts(): Promise<Record<string, number>>;
}

export const CUSTOMER_TABLES = [
  'customers',
  'customer_consents',
  'consent_events',
  'customer_corrections',
  'orders',
  'order_items',
  'licence_resends',
  'card_reveals',
  'break_glass_reviews',
] as const;

/** A core with an IT admin ('admin'), two staff, two managers and an auditor, each signed in on its own window. */
export async function startCustomerCore(options: Partial<CoreOptions> = {}): Promise<CustomerTestCore> {
  const t = await startCore(options);
  const setup = await t.call<{ userId: string }>('session.setup', ADMIN, 'admin');
  const userId = { admin: setup.userId } as Record<Who, string>;
  for (const [who, user] of Object.entries(USERS) as [keyof typeof USERS, (typeof USERS)[keyof typeof USERS]][]) {
    const account = await t.call<{ id: string }>('accounts.create', { ...user, password: PASSWORD }, 'admin');
    userId[who] = account.id;
    await t.call('session.login', { username: user.username, password: PASSWORD }, who);
  }
  // A separate read-only connection for counting rows (the core's own connection is busy inside calls).
  const reader = t.openDb();
  const count = (table: string) => countRows(reader(table));
  const cleanup = t.cleanup;
  return {
    ...t,
    userId,
    as: (who, channel, input) => t.call(channel, input, who),
    try: (who, channel, input) => t.core.handle(t.caller(who), channel, input),
    reauth: async (who) => void (await t.call('session.reauthenticate', { password: who === 'admin' ? ADMIN.password : PASSWORD }, who)),
    count,
    async counts() {
      return Object.fromEntries(await Promise.all(CUSTOMER_TABLES.map(async (table) => [table, await count(table)] as const)));
    },
    async cleanup() {
      await reader.destroy();
      await cleanup();
    },
  };
}

export const VALID_CARD = '4111 1111 1111 1111';
export const nextYear = () => new Date().getUTCFullYear() + 2;

export function sampleCustomer(overrides: Record<string, unknown> = {}) {
  return {
    givenName: 'Jane',
    familyName: 'Doe',
    email: 'jane.doe@example.com',
    phone: '+44 20 7946 0018',
    shippingAddress: { street: '1 Example Street', city: 'Leeds', region: 'West Yorkshire', postalCode: 'LS1 4AB', country: 'GB' },
    dateOfBirth: '1980-05-17',
    ...overrides,
  };
}

export function sampleOrder(customerId: string, overrides: Record<string, unknown> = {}) {
  return {
    customerId,
    items: [
      { sku: 'ITP-SUITE', name: 'iTechno Suite licence', kind: 'licence', quantity: 5 },
      { sku: 'ITP-USB', name: 'Installation USB key', kind: 'product', quantity: 1 },
    ],
    billing: { name: 'Jane Doe', address: { street: '1 Example Street', city: 'Leeds', postalCode: 'LS1 4AB', country: 'GB' } },
    card: { number: VALID_CARD, expiryMonth: 12, expiryYear: nextYear() },
    ...overrides,
  };
}

export function expectError(result: ApiResult<unknown>, code: string): string {
  if (result.ok) throw new Error(`expected ${code}, got ok`);
  if (result.error.code !== code) throw new Error(`expected ${code}, got ${result.error.code}: ${result.error.message}`);
  return result.error.message;
}
