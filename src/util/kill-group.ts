// The process group of a child this process started detached (its pid is the group's id), killed
// whole: what the child started goes with it. A child that never started (no pid) is skipped, since
// kill(-0) would hit the caller's own group.
export function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
