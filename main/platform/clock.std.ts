export interface Clock { now(): number; nowIso(): string }

export const systemClock: Clock = { now: () => Date.now(), nowIso: () => new Date().toISOString() };

/** A Clock from any millisecond source (tests move time with an offset). */
export function clockFrom(now: () => number): Clock {
  return { now, nowIso: () => new Date(now()).toISOString() };
}
