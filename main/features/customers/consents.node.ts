import { randomUUID } from 'node:crypto';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { insertChunked } from '../../platform/store/queries.node.ts';
import { staffNameResolver, type StaffDirectory } from '../accounts/accounts.port.node.ts';
import { policyVersionInForce } from '../policy/policy.port.node.ts';
import { CONSENT_PURPOSES, type ConsentChannel, type ConsentPurpose } from './consents.std.ts';

/**
 * Consents: the current state per customer and purpose (`customer_consents`) and every change to it
 * (`consent_events`), with when and how it was given. No PII: ids, purposes, channels and times only.
 */

const CONSENTS_TABLE = 'customer_consents';
const EVENTS_TABLE = 'consent_events';

export interface ConsentDbRow {
  customer_id: string;
  purpose: ConsentPurpose;
  granted: boolean | number;
  channel: ConsentChannel;
  changed_at: string;
  /** The policy version in force when it was given or withdrawn (stamped at insert). */
  policy_version?: string | null;
}
export interface ConsentEventDbRow extends ConsentDbRow {
  id: string;
  actor_id: string | null;
  at: string;
}

/** The consent rows a new customer starts with (the purposes granted at creation). */
export interface InitialConsents {
  consents: ConsentDbRow[];
  events: Omit<ConsentEventDbRow, 'changed_at'>[];
}

export function initialConsents(
  customerId: string,
  opts: { actorId: string | null; now: string; consents?: Partial<Record<ConsentPurpose, boolean>>; consentChannel?: ConsentChannel },
): InitialConsents {
  const consents: ConsentDbRow[] = [];
  const events: InitialConsents['events'] = [];
  for (const purpose of CONSENT_PURPOSES) {
    if (!opts.consents?.[purpose]) continue;
    const channel = opts.consentChannel;
    if (!channel) throw new AppError('INVALID_INPUT', 'Invalid request — consentChannel: Say how the consent was given');
    consents.push({ customer_id: customerId, purpose, granted: true, channel, changed_at: opts.now });
    events.push({ id: randomUUID(), customer_id: customerId, purpose, granted: true, channel, actor_id: opts.actorId, at: opts.now });
  }
  return { consents, events };
}

/** Inserts the initial consents of many new customers, in chunks, inside the caller's transaction. */
export async function insertConsentRows(q: Queryable, prepared: readonly InitialConsents[], chunk: number, policyVersion: string | null): Promise<void> {
  const stamp = <R extends object>(row: R) => (policyVersion ? { ...row, policy_version: policyVersion } : row);
  const consents = prepared.flatMap((p) => p.consents.map(stamp));
  if (consents.length) await insertChunked(q, CONSENTS_TABLE, consents, chunk);
  const events = prepared.flatMap((p) => p.events.map(stamp));
  if (events.length) await insertChunked(q, EVENTS_TABLE, events, chunk);
}

/** Has this customer consented to this purpose, as of now? False when never asked or withdrawn. */
export async function hasConsent(q: Queryable, customerId: string, purpose: ConsentPurpose): Promise<boolean> {
  const row = await q<ConsentDbRow>(CONSENTS_TABLE).where({ customer_id: customerId, purpose }).first('granted');
  return Boolean(row?.granted);
}

export interface ConsentState {
  purpose: ConsentPurpose;
  granted: boolean;
  channel: ConsentChannel | null;
  changedAt: string | null;
  policyVersion: string | null;
}
export interface ConsentChange {
  purpose: ConsentPurpose;
  granted: boolean;
  channel: ConsentChannel;
  at: string;
  policyVersion: string | null;
  recordedBy: string | null;
  actorName: string | null;
}

/** Every purpose's current state, and the history of changes with who recorded each (names resolved now). */
export async function consentsOf(
  q: Queryable,
  customerId: string,
  staff: StaffDirectory,
): Promise<{ states: ConsentState[]; history: ConsentChange[] }> {
  const current = new Map((await q<ConsentDbRow>(CONSENTS_TABLE).where({ customer_id: customerId })).map((r) => [r.purpose, r]));
  const events = await q<ConsentEventDbRow>(EVENTS_TABLE).where({ customer_id: customerId }).orderBy('at').orderBy('id');
  const nameOf = events.some((e) => e.actor_id) ? await staffNameResolver(staff, q) : () => null;
  return {
    states: CONSENT_PURPOSES.map((purpose) => {
      const row = current.get(purpose);
      return { purpose, granted: Boolean(row?.granted), channel: row?.channel ?? null, changedAt: row?.changed_at ?? null, policyVersion: row?.policy_version ?? null };
    }),
    history: events.map((e) => ({
      purpose: e.purpose,
      granted: Boolean(e.granted),
      channel: e.channel,
      at: e.at,
      policyVersion: e.policy_version ?? null,
      recordedBy: e.actor_id,
      actorName: nameOf(e.actor_id),
    })),
  };
}

/**
 * Records a consent change at `at` (the caller has checked the customer exists), with the policy version in
 * force then: the text the customer was shown when giving or withdrawing it.
 */
export async function setConsent(
  q: Queryable,
  input: { customerId: string; purpose: ConsentPurpose; granted: boolean; channel: ConsentChannel },
  actorId: string | null,
  at: string,
): Promise<{ purpose: ConsentPurpose; granted: boolean; channel: ConsentChannel; changedAt: string; policyVersion: string }> {
  const policyVersion = await policyVersionInForce(q, at);
  await q(EVENTS_TABLE).insert({
    id: randomUUID(),
    customer_id: input.customerId,
    purpose: input.purpose,
    granted: input.granted,
    channel: input.channel,
    actor_id: actorId,
    at,
    policy_version: policyVersion,
  });
  await q(CONSENTS_TABLE)
    .insert({ customer_id: input.customerId, purpose: input.purpose, granted: input.granted, channel: input.channel, changed_at: at, policy_version: policyVersion })
    .onConflict(['customer_id', 'purpose'])
    .merge();
  return { purpose: input.purpose, granted: input.granted, channel: input.channel, changedAt: at, policyVersion };
}
