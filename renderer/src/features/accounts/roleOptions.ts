import { ROLE_LABELS, ROLES } from '../../../../main/platform/ipc/roles.std';

export const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));
