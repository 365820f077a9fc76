import type { BenchReport } from './bench';
import type { ContenderResult } from './compare';

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

function grid(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => '  ' + pad(r, widths));
}

/** The human summary: absolute numbers per server, then the ratios with their targets. */
export function formatReport(report: BenchReport, rounds: number, durationSec: number): string {
  const lines = [`${report.title}  (${rounds} x ${durationSec} s per server, medians)`];
  const withCpu = report.contenders.some((c) => c.cpu);
  const cpuCells = (c: ContenderResult) =>
    !withCpu ? [] : c.cpu ? [Math.round(c.cpu.serverUsPerReq).toString(), `${Math.round(c.cpu.serverPct)}%`, `${Math.round(c.cpu.loadgenPct)}%`] : ['', '', ''];
  lines.push(
    ...grid([
      ['server', 'req/s', 'p50 ms', 'p99 ms', ...(withCpu ? ['server CPU µs/req', 'server CPU', 'loadgen CPU'] : []), 'req/s per round'],
      ...report.contenders.map((c) => [
        c.label,
        Math.round(c.rps).toString(),
        c.p50Ms.toFixed(1),
        c.p99Ms.toFixed(1),
        ...cpuCells(c),
        c.runs.map((r) => Math.round(r.rps)).join(' '),
      ]),
    ]),
  );
  lines.push('');
  lines.push(
    ...grid([
      ['ratio', 'median', 'target', 'verdict', 'per round'],
      ...report.ratios.map((r) => [
        r.label,
        r.value.toFixed(2),
        r.target === undefined ? '' : `>= ${r.target}`,
        r.met === undefined ? '' : r.met ? 'met' : 'MISSED',
        r.perRound.map((v) => v.toFixed(2)).join(' '),
      ]),
    ]),
  );
  if (report.measures?.length) {
    lines.push('');
    lines.push(...grid([['measured beside', 'value', 'unit'], ...report.measures.map((m) => [m.label, formatValue(m.value), m.unit])]));
  }
  return lines.join('\n');
}

function formatValue(v: number): string {
  return Math.abs(v) >= 100 ? Math.round(v).toString() : v.toFixed(Math.abs(v) >= 1 ? 1 : 2);
}
