import type { Queryable } from '../../platform/store/database.node.ts';

const HOME_SEEN = 'home_seen';

/** When the account last marked what came back to it as seen (migration 0018). */
export async function seenAt(q: Queryable, userId: string): Promise<string | null> {
  const row = await q(HOME_SEEN).where({ user_id: userId }).first<{ seen_at: string } | undefined>('seen_at');
  return row?.seen_at ?? null;
}

export async function markSeen(q: Queryable, userId: string, at: string): Promise<void> {
  await q(HOME_SEEN).insert({ user_id: userId, seen_at: at }).onConflict('user_id').merge(['seen_at']);
}
