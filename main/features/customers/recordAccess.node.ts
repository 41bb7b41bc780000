import { AppError } from '../../platform/ipc/errors.std.ts';
import type { Role } from '../../platform/ipc/roles.std.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import type { StaffDirectory } from '../accounts/accounts.port.node.ts';
import type { BreakGlassRecorder } from '../breakglass/breakglass.port.node.ts';
import type { CustomerOrders } from '../orders/orders.port.node.ts';
import { consentsOf } from './consents.node.ts';
import type { CustomerRecord } from './customers.contract.std.ts';
import type { CustomerStore } from './customerStore.node.ts';
import { recordView, type RecordPurpose } from './needToKnow.std.ts';

/**
 * Opening a record: the purpose decides what is decrypted and returned (needToKnow.std.ts), the role narrows it,
 * and a break-glass opening is queued for manager review. Sections a view does not need are never opened.
 */
export class RecordAccess {
  constructor(
    private readonly customers: CustomerStore,
    private readonly orders: CustomerOrders,
    private readonly breakGlass: BreakGlassRecorder,
    private readonly staff: StaffDirectory,
  ) {}

  async open(
    q: Queryable,
    input: { customerId: string; purpose: RecordPurpose; justification?: string | undefined },
    actor: { userId: string; role: Role },
  ): Promise<CustomerRecord> {
    const view = recordView(input.purpose, actor.role);
    if (!view) throw new AppError('FORBIDDEN', 'Your role may not open customer records for this purpose.');
    const row = await this.customers.load(q, input.customerId);
    const has = (field: (typeof view.fields)[number]) => view.fields.includes(field);

    const needsContact = has('email') || has('phone') || has('shippingAddress');
    const needsIdentity = has('name') || has('dateOfBirth');
    const { identity, contact } = needsContact
      ? this.customers.openSections(row)
      : { identity: needsIdentity ? this.customers.openIdentity(row) : null, contact: null };

    // A view that lists the orders counts them as it lists them: one query fewer on every such opening.
    const orders = has('orders') ? await this.orders.viewsForCustomer(q, row.id, view, this.customers.keysOf(row)) : null;
    const record: CustomerRecord = {
      id: row.id,
      purpose: input.purpose,
      fields: [...view.fields],
      kind: row.kind,
      status: row.status,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      version: Number(row.version ?? 1),
      policyVersion: row.policy_version,
      orderCount: orders ? orders.length : await this.orders.count(q, row.id),
      quarantine: row.quarantined_at && row.quarantine_reason ? { reason: row.quarantine_reason, since: row.quarantined_at } : null,
    };
    if (identity && has('name')) {
      record.name = { givenName: identity.givenName, familyName: identity.familyName, organisationName: identity.organisationName };
    }
    if (identity && has('dateOfBirth')) record.dateOfBirth = identity.dateOfBirth;
    if (contact && has('email')) record.email = contact.email;
    if (contact && has('phone')) record.phone = contact.phone;
    if (contact && has('shippingAddress')) record.shippingAddress = { ...contact.shippingAddress };
    if (orders) record.orders = orders;
    if (has('consents')) {
      const { states, history } = await consentsOf(q, row.id, this.staff);
      record.consents = states;
      record.consentHistory = history;
    }
    if (input.purpose === 'break_glass') {
      if (!input.justification) throw new AppError('INVALID_INPUT', 'Break-glass access needs a written justification.');
      record.breakGlassReviewId = await this.breakGlass.record(q, row.id, actor.userId, input.justification);
    }
    return record;
  }
}
