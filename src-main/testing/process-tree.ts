// Process trees from /proc (Linux), for tests that check nothing outlives its host.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

interface ProcStat {
  pid: number;
  ppid: number;
  state: string;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  comm: string;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may itself hold spaces or parentheses.
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  return { pid, comm: text.slice(text.indexOf('(') + 1, close), state: fields[0]!, ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

function allStats(): ProcStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((s): s is ProcStat => s !== undefined);
}

/** Every live descendant of `pid` (children, their children, …). */
export function descendants(pid: number): ProcStat[] {
  const byParent = new Map<number, ProcStat[]>();
  for (const s of allStats()) byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), s]);
  const found: ProcStat[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of byParent.get(queue.shift()!) ?? []) {
      if (child.state !== 'Z') found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** A process that exists and is not a zombie (an orphan's zombie waits for an init that may never reap it). */
export function running(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

export function cpuTicks(pid: number): number {
  return readStat(pid)?.cpuTicks ?? 0;
}

/** Live processes whose working directory is `dir` or inside it (runners work in <data>/vms/<id>, redis-server in <data>/redis). */
export function processesWorkingIn(dir: string): number[] {
  const found: number[] = [];
  for (const s of allStats()) {
    if (s.state === 'Z') continue;
    try {
      const cwd = readlinkSync(`/proc/${s.pid}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}/`)) found.push(s.pid);
    } catch {
      // Gone, or not ours to inspect.
    }
  }
  return found;
}
