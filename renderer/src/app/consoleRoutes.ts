import { IconAddressBook, IconArchive, IconBook2, IconClipboardList, IconDatabase, IconFileOff, IconFileText, IconGavel, IconHome2, IconInfoCircle, IconKey, IconListDetails, IconProgress, IconSettings, IconShare, IconShieldExclamation, IconShieldLock, IconSpeakerphone, IconTrash, IconUsers, type Icon } from '@tabler/icons-react';
import type { ComponentType } from 'react';
import { roleHolds, type Permission, type Role } from '../../../main/platform/ipc/roles.std';
import { AccountsPage } from '../features/accounts/AccountsPage';
import { AuditPage } from '../features/audit/AuditPage';
import { BackupsPage } from '../features/backup/BackupsPage';
import { BreakGlassPage } from '../features/breakglass/BreakGlassPage';
import { CustomersPage } from '../features/customers/CustomersPage';
import { DeletionsPage } from '../features/erasure/DeletionsPage';
import { HoldsPage } from '../features/erasure/HoldsPage';
import { RetentionPage } from '../features/erasure/RetentionPage';
import { TombstonesPage } from '../features/erasure/TombstonesPage';
import { DisclosuresPage } from '../features/disclosures/DisclosuresPage';
import { RegisterPage } from '../features/disclosures/RegisterPage';
import { AboutRolePage } from '../features/home/AboutRolePage';
import { HomePage } from '../features/home/HomePage';
import { KeysPage } from '../features/keyRotation/KeysPage';
import { TasksPage } from '../features/tasks/TasksPage';
import { MinorsPage } from '../features/minors/MinorsPage';
import { AnnouncementsPage } from '../features/announcements/AnnouncementsPage';
import { PolicyPage } from '../features/policy/PolicyPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { SubjectRequestsPage } from '../features/subjectRequests/SubjectRequestsPage';

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
  { path: '/requests', label: 'Customer requests', icon: IconClipboardList, permission: 'requests.read', page: SubjectRequestsPage },
  { path: '/deletions', label: 'Deletions', icon: IconTrash, permission: 'erasure.request', page: DeletionsPage },
  { path: '/legal-holds', label: 'Legal holds', icon: IconGavel, permission: 'erasure.hold', page: HoldsPage },
  { path: '/retention', label: 'Retention review', icon: IconArchive, permission: 'erasure.retention', page: RetentionPage },
  { path: '/deleted-customers', label: 'Deletion register', icon: IconFileOff, permission: 'erasure.register', page: TombstonesPage },
  { path: '/policy', label: 'Privacy policy', icon: IconFileText, permission: 'policy.read', page: PolicyPage },
  { path: '/announcements', label: 'Announcements', icon: IconSpeakerphone, permission: 'announcements.read', page: AnnouncementsPage },
  { path: '/disclosures', label: 'Disclosures', icon: IconShare, permission: 'disclosures.read', page: DisclosuresPage },
  { path: '/disclosure-register', label: 'Disclosure register', icon: IconBook2, permission: 'disclosures.register', page: RegisterPage },
  { path: '/break-glass', label: 'Break-glass reviews', icon: IconShieldExclamation, permission: 'breakglass.review', page: BreakGlassPage },
  { path: '/minors', label: 'Minors', icon: IconShieldLock, permission: 'minors.report', page: MinorsPage },
  { path: '/accounts', label: 'Accounts', icon: IconUsers, permission: 'accounts.read', page: AccountsPage },
  { path: '/audit', label: 'Audit log', icon: IconListDetails, permission: 'audit.read', page: AuditPage },
  { path: '/keys', label: 'Keys', icon: IconKey, permission: 'keys.manage', page: KeysPage },
  { path: '/settings', label: 'Settings', icon: IconSettings, permission: 'settings.manage', page: SettingsPage },
  { path: '/backups', label: 'Backups', icon: IconDatabase, permission: 'backups.manage', page: BackupsPage },
  { path: '/tasks', label: 'Tasks', icon: IconProgress, permission: null, page: TasksPage },
  { path: '/about', label: 'About my role', icon: IconInfoCircle, permission: null, page: AboutRolePage },
];

export function routesFor(role: Role): ConsoleRoute[] {
  return CONSOLE_ROUTES.filter((route) => route.permission === null || roleHolds(role, route.permission));
}
