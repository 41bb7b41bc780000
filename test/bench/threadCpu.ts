import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time so far of this process's main thread and of all its other threads (the SQLite driver runs on libuv's
 * pool), in ms, from /proc (Linux only; null elsewhere). It tells which side of an overlapped write is the
 * bottleneck: sealing on the main thread, or the driver.
 */
export function threadCpuMs(): { main: number; others: number } | null {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return null;
  }
  const tick = 10; // USER_HZ is 100 on every Linux the bench runs on
  let main = 0;
  let others = 0;
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (Number(fields[11]) + Number(fields[12])) * tick;
    if (tid === String(process.pid)) main += ms;
    else others += ms;
  }
  return { main, others };
}
