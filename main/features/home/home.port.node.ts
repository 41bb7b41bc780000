import type { Permission, Role } from '../../platform/ipc/roles.std.ts';
import { roleHolds } from '../../platform/ipc/roles.std.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import type { HomeWorkItem } from './home.contract.std.ts';

/** What other features use of Home: they contribute work items through a provider (backups, key rotation…). */
export type { HomePage, HomeSection, HomeTone, HomeWorkItem } from './home.contract.std.ts';

/** Who is asking, and since when what came back to them counts as new. */
export interface HomeViewer {
  userId: string;
  role: Role;
  /** Last “mark as seen” (ISO), or null. */
  seenAt: string | null;
  /** Now (ISO), from the core's clock. */
  now: string;
}

/**
 * A feature's contribution to Home. `permissions` are all required: a provider whose permissions the caller's role
 * lacks is never asked, so its counts cannot leak. Within them the provider still scopes to the viewer (its own
 * requests, kinds its role may decide). Counts only; `detail` never names a customer.
 */
export interface HomeWorkProvider {
  readonly id: string;
  /** All required; `signed-in` for counts scoped to the viewer alone (their own requests), declared on purpose. */
  readonly permissions: readonly Permission[] | 'signed-in';
  items(q: Queryable, viewer: HomeViewer): Promise<readonly HomeWorkItem[]>;
}

/** The providers the composition root registers; features being built later add theirs the same way. */
export class HomeWorkRegistry {
  private readonly providers = new Map<string, HomeWorkProvider>();

  register(provider: HomeWorkProvider): this {
    if (this.providers.has(provider.id)) throw new Error(`Home work provider registered twice: ${provider.id}`);
    if (provider.permissions !== 'signed-in' && provider.permissions.length === 0) throw new Error(`Home work provider ${provider.id} must name the permissions it needs`);
    this.providers.set(provider.id, provider);
    return this;
  }

  /** The providers a role may ask (it holds every permission each names). */
  forRole(role: Role): HomeWorkProvider[] {
    return [...this.providers.values()].filter((p) => p.permissions === 'signed-in' || p.permissions.every((permission) => roleHolds(role, permission)));
  }

  async collect(q: Queryable, viewer: HomeViewer): Promise<HomeWorkItem[]> {
    const items: HomeWorkItem[] = [];
    // One after the other: they share the caller's transaction (one connection).
    for (const provider of this.forRole(viewer.role)) items.push(...(await provider.items(q, viewer)));
    return items;
  }
}

/** “n days ago” boundary as ISO, for week-long counts. */
export function daysBefore(nowIso: string, days: number): string {
  return new Date(Date.parse(nowIso) - days * 86_400_000).toISOString();
}

/** Reads a `count(*)` answer the same way on both engines (PostgreSQL returns a string). */
export function countOf(rows: readonly { n: number | string | null }[]): number {
  return Number(rows[0]?.n ?? 0);
}
