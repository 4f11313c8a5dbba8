// Whether a process id names a running process, for records that other processes left behind.

/** True when `pid` runs, under this user or another (EPERM: it exists, we may not signal it). */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
