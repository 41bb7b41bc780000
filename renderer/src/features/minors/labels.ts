import type { MINOR_CASE_STATES, MINOR_REPORT_CHANNELS, RELEASE_REASONS } from '../../../../main/features/minors/minors.contract.std';
import type { QuarantineReason } from '../../../../main/features/customers/customerFields.std';

export const QUARANTINE_REASON_LABELS: Record<QuarantineReason, string> = {
  reported_minor: 'Reported as a minor',
  date_of_birth_under_18: 'Date of birth under 18',
};

export const CASE_STATE_LABELS: Record<(typeof MINOR_CASE_STATES)[number], string> = {
  awaiting_deletion: 'Awaiting deletion',
  needs_decision: 'Needs a decision',
  erased: 'Erased',
  released: 'Released',
};
export const CASE_STATE_COLORS: Record<(typeof MINOR_CASE_STATES)[number], string> = {
  awaiting_deletion: 'orange',
  needs_decision: 'red',
  erased: 'teal',
  released: 'gray',
};

export const REPORT_CHANNEL_LABELS: Record<(typeof MINOR_REPORT_CHANNELS)[number], string> = {
  phone: 'Phone call',
  email: 'Email',
  letter: 'Letter',
  in_person: 'In person',
  parent_or_guardian: 'A parent or guardian',
  internal_review: 'Our own review of the record',
};

export const RELEASE_REASON_LABELS: Record<(typeof RELEASE_REASONS)[number], string> = {
  age_verified_adult: 'Age verified: the customer is an adult',
  reported_in_error: 'The report was made in error',
};
