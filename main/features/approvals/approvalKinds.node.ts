import type { z } from 'zod';
import type { Permission, Role } from '../../platform/ipc/roles.std.ts';
import { roleHolds } from '../../platform/ipc/roles.std.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import type { ApprovalPayload, ApprovalStatus } from './approvals.contract.std.ts';

/** A request as the kind's hook sees it: clear columns and the validated payload, never the reasons. */
export interface ApprovalRequest<P = ApprovalPayload> {
  id: string;
  kind: string;
  subjectId: string;
  status: ApprovalStatus;
  requesterId: string;
  deciderId: string | null;
  requestedAt: string;
  decidedAt: string | null;
  expiresAt: string;
  payload: P;
}

/**
 * What a feature registers to have its changes approved by a second person (erasure, disclosure, policy
 * publishing, role changes). The payload schema admits ids, enums, numbers and booleans only.
 */
export interface ApprovalKind<S extends z.ZodType = z.ZodType> {
  /** Stored in `approvals.kind`: lower case, dotted ("customer.erasure"). */
  readonly name: string;
  /** Shown in the queue ("Erase a customer"). */
  readonly label: string;
  /** The decider must hold it (as well as `approvals.decide`). */
  readonly permission: Permission;
  /** Strict schema of the payload. */
  readonly payload: S;
  /** How long a request stays open before it expires. */
  readonly expiresInMs: number;
  /**
   * The subject is a customer: the request's reasons are sealed under that customer's own key, so erasing the
   * customer erases them too (the clear facts — kind, status, who decided, when — stay as evidence).
   */
  readonly subjectIsCustomer?: boolean;
  /**
   * Runs in the same transaction as the approval: if it throws, the approval is rolled back with it and the
   * request stays pending.
   */
  onApproved?(q: Queryable, request: ApprovalRequest<z.output<S>>): Promise<void>;
  /** Runs in the same transaction as a denial (e.g. to close what the request was filed for). */
  onDenied?(q: Queryable, request: ApprovalRequest<z.output<S>>): Promise<void>;
  /** Masked labels of subjects for the queue (e.g. the customer list's "Jane D."); absent ids are left out. */
  subjectLabels?(q: Queryable, subjectIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

const KIND_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

/** zod type names a payload schema may be built from: containers, ids, enums, numbers and booleans. */
const CONTAINERS = new Set(['object', 'optional', 'nullable', 'array', 'readonly', 'default']);
const LEAVES = new Set(['enum', 'literal', 'number', 'int', 'boolean', 'null']);

interface ZodInternals {
  _zod: { def: { type: string; format?: string; checks?: { _zod: { def: { format?: string } } }[]; [key: string]: unknown } };
}

/** Refuses payload schemas that could carry free text: every string must be a uuid. */
export function assertIdsAndEnumsOnly(schema: z.ZodType, path = 'payload'): void {
  const def = (schema as unknown as ZodInternals)._zod.def;
  if (def.type === 'string') {
    const uuid = def.format === 'uuid' || (def.checks ?? []).some((c) => c._zod.def.format === 'uuid');
    if (!uuid) throw new Error(`${path}: payload strings must be uuids; free text goes into an encrypted reason`);
    return;
  }
  if (LEAVES.has(def.type)) return;
  if (!CONTAINERS.has(def.type)) throw new Error(`${path}: a payload may hold ids, enums, numbers and booleans only (found ${def.type})`);
  if (def.type === 'object') {
    for (const [key, child] of Object.entries(def.shape as Record<string, z.ZodType>)) assertIdsAndEnumsOnly(child, `${path}.${key}`);
    const catchall = def.catchall as z.ZodType | undefined;
    if (catchall && (catchall as unknown as ZodInternals)._zod.def.type !== 'never') throw new Error(`${path}: payload objects must be strict`);
    if (!catchall) throw new Error(`${path}: payload objects must be strict`);
  } else if (def.type === 'array') {
    assertIdsAndEnumsOnly(def.element as z.ZodType, `${path}[]`);
  } else {
    assertIdsAndEnumsOnly(def.innerType as z.ZodType, path);
  }
}

/** The approval kinds the app knows. Features register theirs in the composition root. */
export class ApprovalKinds {
  private readonly kinds = new Map<string, ApprovalKind>();

  register<S extends z.ZodType>(kind: ApprovalKind<S>): this {
    if (!KIND_NAME.test(kind.name) || kind.name.length > 48) throw new Error(`Approval kind name "${kind.name}" is not lower-case dotted`);
    if (this.kinds.has(kind.name)) throw new Error(`Approval kind "${kind.name}" is registered twice`);
    if (!(kind.expiresInMs > 0)) throw new Error(`Approval kind "${kind.name}" needs a positive expiry`);
    const top = (kind.payload as unknown as ZodInternals)._zod.def.type;
    if (top !== 'object') throw new Error(`Approval kind "${kind.name}": the payload must be a strict object`);
    assertIdsAndEnumsOnly(kind.payload);
    this.kinds.set(kind.name, kind as unknown as ApprovalKind);
    return this;
  }

  find(name: string): ApprovalKind | undefined {
    return this.kinds.get(name);
  }

  /** Kinds a role may decide: it holds `approvals.decide` and the kind's own permission. */
  decidableBy(role: Role): string[] {
    if (!roleHolds(role, 'approvals.decide')) return [];
    return [...this.kinds.values()].filter((k) => roleHolds(role, k.permission)).map((k) => k.name);
  }

  get names(): string[] {
    return [...this.kinds.keys()];
  }
}
