import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { empty } from '../../platform/ipc/schemas.std.ts';

/**
 * Home (issue #13): what needs the signed-in person now, as counts that lead to the work. Every item is a count
 * (never a name or a value about a customer) that the caller's role may see; features contribute the items
 * through the registry in home.port.node.ts.
 */

/** The screens an item leads to; the renderer maps each to its route and drops one the role has no route to. */
export const HOME_PAGES = [
  'break-glass',
  'deletions',
  'retention',
  'policy',
  'disclosures',
  'accounts',
  'requests',
  'audit',
  'settings',
  'tasks',
  'announcements',
  'keys',
  'backups',
] as const;
export type HomePage = (typeof HOME_PAGES)[number];

/** How a card groups its items: to decide, one's own waiting, come back, the system's state, the log's state. */
export const HOME_SECTIONS = ['decide', 'mine', 'returned', 'system', 'audit'] as const;
export type HomeSection = (typeof HOME_SECTIONS)[number];

/** `action`: work waiting for the caller (counted in the navigation badge); the rest inform. */
export const HOME_TONES = ['action', 'info', 'ok', 'warning', 'danger'] as const;
export type HomeTone = (typeof HOME_TONES)[number];

export const homeWorkItem = z.object({
  /** Stable key, e.g. `approvals.decide.customer.deletion`. */
  id: z.string().max(80),
  section: z.enum(HOME_SECTIONS),
  label: z.string().max(120),
  count: z.number().int().min(0),
  tone: z.enum(HOME_TONES),
  page: z.enum(HOME_PAGES),
  /** A short fact beside the count (“last verified … : intact”); never about a customer. */
  detail: z.string().max(200).nullable(),
  /** A time the detail refers to (ISO), formatted by the renderer. */
  at: z.string().nullable(),
});
export type HomeWorkItem = z.input<typeof homeWorkItem>;

export const homeChannels = {
  /** The caller's work items, counts only, each from a provider the caller's role may see. Not audited: counts. */
  'home.work': channel({
    input: empty,
    output: z.object({
      items: z.array(homeWorkItem),
      /** When the caller last marked what came back to them as seen (null: never). */
      seenAt: z.string().nullable(),
      generatedAt: z.string(),
    }),
    access: { kind: 'session' },
    readsOnly: true,
    passive: true,
  }),
  /** “Mark as seen”: what came back to the caller until now no longer counts as new. */
  'home.markSeen': channel({
    input: empty,
    output: z.object({ seenAt: z.string() }),
    access: { kind: 'session' },
    audit: 'home.seen',
  }),
};
