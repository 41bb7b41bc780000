import type { PolicyStatus } from '../../../../main/features/policy/policy.contract.std';

export const STATUS_LABELS: Record<PolicyStatus, string> = { draft: 'Draft', in_review: 'Awaiting approval', published: 'Published', archived: 'Archived' };
export const STATUS_COLORS: Record<PolicyStatus, string> = { draft: 'gray', in_review: 'orange', published: 'teal', archived: 'gray' };

export const versionLabel = (version: number) => `Version ${version}`;
