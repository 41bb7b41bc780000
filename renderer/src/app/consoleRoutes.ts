import { IconAddressBook, IconFileText, IconHome2, IconListDetails, IconSettings, IconShieldExclamation, IconSpeakerphone, IconUsers, type Icon } from '@tabler/icons-react';
import type { ComponentType } from 'react';
import { roleHolds, type Permission, type Role } from '../../../main/platform/ipc/roles.std';
import { AccountsPage } from '../features/accounts/AccountsPage';
import { AuditPage } from '../features/audit/AuditPage';
import { BreakGlassPage } from '../features/breakglass/BreakGlassPage';
import { CustomersPage } from '../features/customers/CustomersPage';
import { HomePage } from '../features/home/HomePage';
import { AnnouncementsPage } from '../features/announcements/AnnouncementsPage';
import { PolicyPage } from '../features/policy/PolicyPage';
import { SettingsPage } from '../features/settings/SettingsPage';

export interface ConsoleRoute {
  path: string;
  label: string;
  icon: Icon;
  /** Hides the page from roles without it; main refuses the calls behind it anyway. */
  permission: Permission | null;
  page: ComponentType;
}

export const CONSOLE_ROUTES: readonly ConsoleRoute[] = [
  { path: '/', label: 'Home', icon: IconHome2, permission: null, page: HomePage },
  { path: '/customers', label: 'Customers', icon: IconAddressBook, permission: 'customers.read', page: CustomersPage },
  { path: '/policy', label: 'Privacy policy', icon: IconFileText, permission: 'policy.read', page: PolicyPage },
  { path: '/announcements', label: 'Announcements', icon: IconSpeakerphone, permission: 'announcements.read', page: AnnouncementsPage },
  { path: '/break-glass', label: 'Break-glass reviews', icon: IconShieldExclamation, permission: 'breakglass.review', page: BreakGlassPage },
  { path: '/accounts', label: 'Accounts', icon: IconUsers, permission: 'accounts.read', page: AccountsPage },
  { path: '/audit', label: 'Audit log', icon: IconListDetails, permission: 'audit.read', page: AuditPage },
  { path: '/settings', label: 'Settings', icon: IconSettings, permission: 'settings.manage', page: SettingsPage },
];

export function routesFor(role: Role): ConsoleRoute[] {
  return CONSOLE_ROUTES.filter((route) => route.permission === null || roleHolds(role, route.permission));
}
