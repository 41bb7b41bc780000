import { AppError } from '../../platform/ipc/errors.std.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { customerStatus, isQuarantined, NO_SUCH_CUSTOMER } from '../customers/customers.port.node.ts';
import { SUBJECT_REQUESTS_TABLE, type SubjectRequestDbRow } from './requestTracker.node.ts';

export const QUARANTINED_EXPORT =
  'This record is quarantined as a minor’s and waits for deletion: its data cannot be exported. A manager confirms the deletion instead.';

/**
 * Whether a customer's data may be exported now, and to which request: checked before the save dialog (nothing
 * is asked of the user for a refusal) and again inside the export's transaction.
 */
export class ExportGate {
  async assertExportable(q: Queryable, customerId: string, requestId: string | undefined): Promise<void> {
    // A deleted customer has no row left: nothing to export.
    if (!(await customerStatus(q, customerId))) throw new AppError('NOT_FOUND', NO_SUCH_CUSTOMER);
    // Minors' records must never leave the console (policy: such information "shall be deleted").
    if (await isQuarantined(q, customerId)) throw new AppError('FORBIDDEN', QUARANTINED_EXPORT);
    if (!requestId) return;
    const request = await q<SubjectRequestDbRow>(SUBJECT_REQUESTS_TABLE).where({ id: requestId }).first('customer_id', 'type', 'status');
    if (!request) throw new AppError('NOT_FOUND', 'No such request.');
    if (request.customer_id !== customerId) throw new AppError('INVALID_INPUT', 'This request is about another customer.');
    if (request.type !== 'access') throw new AppError('INVALID_INPUT', 'Only an access request is answered with an export.');
    if (request.status === 'completed' || request.status === 'refused') throw new AppError('CONFLICT', `This request is already ${request.status}.`);
  }
}
