import { Badge, type BadgeProps } from '@mantine/core';
import { ROLE_LABELS, type Role } from '../../../main/platform/ipc/roles.std';

const ROLE_COLORS: Record<Role, string> = {
  staff: 'gray',
  manager: 'teal',
  it_admin: 'indigo',
  auditor: 'grape',
};

export function RoleBadge({ role, ...props }: { role: Role } & Omit<BadgeProps, 'color' | 'children'>) {
  return (
    <Badge color={ROLE_COLORS[role]} variant="light" {...props}>
      {ROLE_LABELS[role]}
    </Badge>
  );
}
