/** Memory of one browser's processes read from /proc: the whole browser's PSS, and the extension renderer's own. */
import { readFileSync, readdirSync } from 'node:fs';

interface ProcInfo {
  pid: number;
  ppid: number;
  cmdline: string;
}

function processes(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.push({ pid: Number(name), ppid, cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ') });
    } catch {
      // Exited meanwhile.
    }
  }
  return out;
}

function procStatus(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
}

/** A `/proc/PID/status` field in kB. */
function statusField(status: string, field: string): number | null {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : null;
}

function statusKb(pid: number, field: string): number | null {
  const status = procStatus(pid);
  return status === null ? null : statusField(status, field);
}

function pssKb(pid: number): number | null {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Memory of one browser (found by its profile directory): all its processes, and its extension renderer. */
export class ProcessMemory {
  constructor(private readonly userDataDir: string) {}

  private tree(): { all: ProcInfo[]; extension: ProcInfo[] } {
    const procs = processes();
    const root = procs.find((p) => p.cmdline.includes(`--user-data-dir=${this.userDataDir}`) && !p.cmdline.includes('--type='));
    if (!root) return { all: [], extension: [] };
    const children = new Map<number, ProcInfo[]>();
    for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
    const all: ProcInfo[] = [];
    const stack = [root];
    while (stack.length) {
      const p = stack.pop()!;
      all.push(p);
      stack.push(...(children.get(p.pid) ?? []));
    }
    return { all, extension: all.filter((p) => p.cmdline.includes('--extension-process')) };
  }

  /** Bytes: proportional set size of every process of the browser, and resident/peak-resident of the extension renderer(s). */
  sample(): { browserPss: number; extensionRss: number; extensionHwm: number } {
    const { all, extension } = this.tree();
    const kb = (xs: Array<number | null>) => xs.reduce<number>((s, x) => s + (x ?? 0), 0) * 1024;
    return {
      browserPss: kb(all.map((p) => pssKb(p.pid))),
      extensionRss: kb(extension.map((p) => statusKb(p.pid, 'VmRSS'))),
      extensionHwm: kb(extension.map((p) => statusKb(p.pid, 'VmHWM'))),
    };
  }

  /**
   * A cheap sampler (one /proc read a process a call) of the extension renderer's private memory footprint, as Chrome
   * counts it on Linux (`RssAnon` + `VmSwap`: its task manager's "Memory footprint", and what its own metrics report
   * for an extension), and of what else it has resident (`VmRSS` − `RssAnon`: mostly the ~115 MB of Chromium's
   * executable that every renderer maps and shares). Bytes; null when not found.
   */
  privateSampler(): () => { private: number; shared: number } | null {
    const pids = this.tree().extension.map((p) => p.pid);
    return () => {
      if (!pids.length) return null;
      let privateKb = 0;
      let sharedKb = 0;
      for (const pid of pids) {
        const status = procStatus(pid);
        if (!status) continue;
        const field = (name: string) => statusField(status, name) ?? 0;
        const anon = field('RssAnon');
        privateKb += anon + field('VmSwap');
        sharedKb += field('VmRSS') - anon;
      }
      return { private: privateKb * 1024, shared: sharedKb * 1024 };
    };
  }
}
