import type { Queryable } from '../../platform/store/database.node.ts';
import type { StaffDirectory } from '../accounts/accounts.port.node.ts';
import type { CustomerOrders } from '../orders/orders.port.node.ts';
import type { OrderView } from '../orders/orders.contract.std.ts';
import { consentsOf, type ConsentChange, type ConsentState } from './consents.node.ts';
import type { CorrectionService } from './corrections.node.ts';
import type { CustomerStore } from './customerStore.node.ts';

/** Everything the customer records hold about one customer, for an access request. Cards are masked (last four). */
export interface SubjectAccessData {
  profile: {
    id: string;
    kind: string;
    status: string;
    createdAt: string;
    updatedAt: string;
    policyVersion: string;
    givenName: string;
    familyName: string;
    organisationName: string | null;
    dateOfBirth: string | null;
    email: string;
    phone: string | null;
    shippingAddress: { street: string; city: string; region: string | null; postalCode: string; country: string };
  };
  orders: OrderView[];
  consents: { states: ConsentState[]; history: ConsentChange[] };
  corrections: Awaited<ReturnType<CorrectionService['history']>>;
}

/** Reads a customer's whole record for an access export (the caller checks permission and quarantine). */
export class SubjectAccessReader {
  constructor(
    private readonly customers: CustomerStore,
    private readonly orders: CustomerOrders,
    private readonly corrections: CorrectionService,
    private readonly staff: StaffDirectory,
  ) {}

  async read(q: Queryable, customerId: string): Promise<SubjectAccessData> {
    const row = await this.customers.load(q, customerId);
    const { identity, contact } = this.customers.openSections(row);
    return {
      profile: {
        id: row.id,
        kind: row.kind,
        status: row.status,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        policyVersion: row.policy_version,
        givenName: identity.givenName,
        familyName: identity.familyName,
        organisationName: identity.organisationName,
        dateOfBirth: identity.dateOfBirth,
        email: contact.email,
        phone: contact.phone,
        shippingAddress: { ...contact.shippingAddress },
      },
      // The customer's own orders with billing details, the card masked to its last four digits.
      orders: await this.orders.viewsForCustomer(q, row.id, { fields: ['orders', 'orders.billing'], card: 'last4' }),
      consents: await consentsOf(q, row.id, this.staff),
      corrections: await this.corrections.history(q, row.id),
    };
  }
}

/** Does this correction belong to this customer? */
export async function isCorrectionOf(q: Queryable, correctionId: string, customerId: string): Promise<boolean> {
  return Boolean(await q('customer_corrections').where({ id: correctionId, customer_id: customerId }).first('id'));
}
