import type { z } from 'zod';
import { accountsChannels } from './features/accounts/accounts.contract.std.ts';
import { announcementsChannels } from './features/announcements/announcements.contract.std.ts';
import { approvalsChannels } from './features/approvals/approvals.contract.std.ts';
import { auditChannels } from './features/audit/audit.contract.std.ts';
import { backupChannels } from './features/backup/backup.contract.std.ts';
import { breakglassChannels } from './features/breakglass/breakglass.contract.std.ts';
import { disclosuresChannels } from './features/disclosures/disclosures.contract.std.ts';
import { customersChannels } from './features/customers/customers.contract.std.ts';
import { keyRotationChannels } from './features/keyRotation/keyRotation.contract.std.ts';
import { minorsChannels } from './features/minors/minors.contract.std.ts';
import { homeChannels } from './features/home/home.contract.std.ts';
import { tasksChannels } from './features/tasks/tasks.contract.std.ts';
import { erasureChannels } from './features/erasure/erasure.contract.std.ts';
import { ordersChannels } from './features/orders/orders.contract.std.ts';
import { policyChannels } from './features/policy/policy.contract.std.ts';
import { sessionChannels } from './features/session/session.contract.std.ts';
import { subjectRequestsChannels } from './features/subjectRequests/subjectRequests.contract.std.ts';
import { settingsChannels } from './features/settings/settings.contract.std.ts';
import { workstationChannels } from './features/workstation/workstation.contract.std.ts';
import type { ApiResult } from './platform/ipc/errors.std.ts';
import type { ApiEventName, ApiEvents } from './platform/ipc/events.std.ts';

/** The one contract between main, preload and renderer. Free of Node imports so the renderer can bundle it. */
export const API = {
  ...sessionChannels,
  ...accountsChannels,
  ...auditChannels,
  ...settingsChannels,
  ...customersChannels,
  ...ordersChannels,
  ...breakglassChannels,
  ...minorsChannels,
  ...approvalsChannels,
  ...subjectRequestsChannels,
  ...erasureChannels,
  ...workstationChannels,
  ...policyChannels,
  ...announcementsChannels,
  ...disclosuresChannels,
  ...backupChannels,
  ...keyRotationChannels,
  ...homeChannels,
  ...tasksChannels,
};
export type Api = typeof API;
export type ChannelName = keyof Api;
export const CHANNEL_NAMES = Object.keys(API) as ChannelName[];

export type ChannelInput<C extends ChannelName> = z.input<Api[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Api[C]['output']>;

/** What the preload exposes as `window.privacyConsole`; the test harness exposes the same shape. */
export interface PrivacyConsoleBridge {
  invoke<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ApiResult<ChannelOutput<C>>>;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

/** Transport names shared by the preload and main. */
export const IPC_INVOKE = 'pc:invoke';
export const IPC_EVENT = 'pc:event';
