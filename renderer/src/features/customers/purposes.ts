import type { RecordPurpose } from '../../../../main/features/customers/needToKnow.std';

/** Short names for the purpose picker and badges; the contract's PURPOSE_LABELS are the long forms. */
export const PURPOSE_NAMES: Record<RecordPurpose, string> = {
  order_processing: 'Order processing',
  customer_support: 'Customer support',
  correction: 'Correction',
  deletion_request: 'Deletion request',
  legal: 'Legal request',
  break_glass: 'Break-glass: other reason',
};
