import type { AnnouncementChannel, Audience, RecipientStatus } from '../../../../main/features/announcements/announcements.contract.std';

export const AUDIENCE_LABELS: Record<Audience, string> = { all_active: 'All active clients', affected_only: 'Only affected customers' };
export const CHANNEL_LABELS: Record<AnnouncementChannel, string> = { email_batch: 'E-mail batch (mail system)', letter_list: 'Letter list' };
export const RECIPIENT_STATUS_LABELS: Record<RecipientStatus, string> = { queued: 'Queued', sent: 'Sent', bounced: 'Bounced', acknowledged: 'Acknowledged' };
export const RECIPIENT_STATUS_COLORS: Record<RecipientStatus, string> = { queued: 'gray', sent: 'blue', bounced: 'red', acknowledged: 'teal' };
