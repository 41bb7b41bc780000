import { IconAddressBook, IconBook2, IconShare, IconHome2, IconListDetails, IconSettings, IconShieldExclamation, IconUsers, type Icon } from '@tabler/icons-react';
import type { ComponentType } from 'react';
import { roleHolds, type Permission, type Role } from '../../../main/platform/ipc/roles.std';
import { AccountsPage } from '../features/accounts/AccountsPage';
import { AuditPage } from '../features/audit/AuditPage';
import { BreakGlassPage } from '../features/breakglass/BreakGlassPage';
import { CustomersPage } from '../features/customers/CustomersPage';
import { DisclosuresPage } from '../features/disclosures/DisclosuresPage';
import { RegisterPage } from '../features/disclosures/RegisterPage';
import { HomePage } from '../features/home/HomePage';
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
  { path: '/disclosures', label: 'Disclosures', icon: IconShare, permission: 'disclosures.read', page: DisclosuresPage },
  { path: '/disclosure-register', label: 'Disclosure register', icon: IconBook2, permission: 'disclosures.register', page: RegisterPage },
  { path: '/break-glass', label: 'Break-glass reviews', icon: IconShieldExclamation, permission: 'breakglass.review', page: BreakGlassPage },
  { path: '/accounts', label: 'Accounts', icon: IconUsers, permission: 'accounts.read', page: AccountsPage },
  { path: '/audit', label: 'Audit log', icon: IconListDetails, permission: 'audit.read', page: AuditPage },
  { path: '/settings', label: 'Settings', icon: IconSettings, permission: 'settings.manage', page: SettingsPage },
];

export function routesFor(role: Role): ConsoleRoute[] {
  return CONSOLE_ROUTES.filter((route) => route.permission === null || roleHolds(role, route.permission));
}
