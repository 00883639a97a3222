/** Figures, goals and the two outputs: a table on stdout and bench/results.json. */
import { execSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import type { Summary } from './stats';

export type Stat = 'median' | 'p95' | 'value';

export interface Goal {
  stat: Stat;
  op: '<=' | '>=';
  target: number;
}

export interface Figure {
  id: string;
  group: string;
  label: string;
  unit: string;
  /** For single measurements (sizes, rates, peaks). */
  value?: number | null;
  median?: number;
  p95?: number;
  n?: number;
  goal?: Goal;
  /** null: not measured (see note). */
  pass?: boolean | null;
  reference?: { name: string; median?: number; p95?: number; value?: number };
  /** Margin / reference, on medians (or values). */
  ratio?: number;
  note?: string;
}

export function judge(figure: Figure): Figure {
  if (!figure.goal) return figure;
  const v = figure.goal.stat === 'value' ? figure.value : figure[figure.goal.stat];
  if (v === undefined || v === null || !Number.isFinite(v)) return { ...figure, pass: null };
  return { ...figure, pass: figure.goal.op === '<=' ? v <= figure.goal.target : v >= figure.goal.target };
}

export function fromSummary(s: Summary): Pick<Figure, 'median' | 'p95' | 'n'> {
  return { median: s.median, p95: s.p95, n: s.n };
}

export class Report {
  figures: Figure[] = [];
  errors: string[] = [];
  raw: Record<string, unknown> = {};

  add(figure: Figure): Figure {
    let f = figure;
    if (f.reference) {
      const mine = f.median ?? f.value;
      const theirs = f.reference.median ?? f.reference.value;
      if (mine != null && theirs != null && Number.isFinite(mine) && Number.isFinite(theirs) && theirs > 0) f = { ...f, ratio: mine / theirs };
    }
    f = judge(f);
    this.figures = this.figures.filter((x) => x.id !== f.id);
    this.figures.push(f);
    return f;
  }

  /** A figure that could not be measured: kept in the table (and failing its goal) with the reason. */
  missing(base: Omit<Figure, 'value' | 'median' | 'p95' | 'n'>, reason: string) {
    return this.add({ ...base, value: null, note: reason });
  }
}

function fmt(v: number | null | undefined, unit: string): string {
  if (v === undefined) return '';
  if (v === null || !Number.isFinite(v)) return '—';
  if (unit === 'papers/s') return Math.round(v).toLocaleString('en');
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return v.toFixed(digits);
}

function goalText(g: Goal | undefined, unit: string): string {
  if (!g) return '';
  return `${g.stat === 'value' ? '' : g.stat + ' '}${g.op === '<=' ? '≤' : '≥'} ${fmt(g.target, unit)} ${unit}`;
}

export function renderTable(figures: Figure[]): string {
  const rows: string[][] = [['Figure', 'unit', 'median/value', 'p95', 'n', 'goal', 'ok', 'reference', 'ratio', 'note']];
  let group = '';
  const groupRows = new Set<number>();
  for (const f of figures) {
    if (f.group !== group) {
      group = f.group;
      groupRows.add(rows.length);
      rows.push([`[${group}]`, '', '', '', '', '', '', '', '', '']);
    }
    const ref = f.reference
      ? `${f.reference.name} ${fmt(f.reference.median ?? f.reference.value, f.unit)}${f.reference.p95 !== undefined ? ` / p95 ${fmt(f.reference.p95, f.unit)}` : ''}`
      : '';
    rows.push([
      f.label,
      f.unit,
      fmt(f.value !== undefined ? f.value : f.median, f.unit),
      fmt(f.p95, f.unit),
      f.n !== undefined ? String(f.n) : '',
      goalText(f.goal, f.unit),
      f.pass === undefined ? '' : f.pass === null ? '?' : f.pass ? 'PASS' : 'FAIL',
      ref,
      f.ratio !== undefined ? `${f.ratio.toFixed(2)}×` : '',
      f.note ?? '',
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.filter((_, r) => !groupRows.has(r)).map((r) => [...r[c]!].length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => (c >= 2 && c <= 4 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  ')];
  rows.slice(1).forEach((r, i) => out.push(groupRows.has(i + 1) ? `\n${r[0]}` : line(r)));
  return out.join('\n');
}

export function machine(chromiumVersion: string) {
  const cpu = cpus();
  let commit = 'unknown';
  let dirty = false;
  try {
    commit = execSync('git rev-parse HEAD', { encoding: 'utf8' }).trim();
    dirty = execSync('git status --porcelain --untracked-files=no', { encoding: 'utf8' }).trim().length > 0;
  } catch {
    // Not a git checkout.
  }
  return {
    machine: {
      cpuModel: cpu[0]?.model ?? 'unknown',
      cores: cpu.length,
      memoryBytes: totalmem(),
      memoryGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
      platform: `${process.platform} ${process.arch}`,
      node: process.version,
      chromium: chromiumVersion,
      loadAverageAtStart: loadavg(),
    },
    commit,
    dirty,
  };
}
