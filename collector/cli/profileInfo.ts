/**
 * `osprey profile info FILE [--json]`: the format detected, each profile with its unit, measure,
 * total weight and sample count, and the top functions by self weight (the console's table).
 */
import { buildCallTree } from '../core/profile/callTree.js';
import { topFunctions } from '../core/profile/functions.js';
import {
  totalWeight,
  type FrameKind,
  type Measure,
  type ProfileMeta,
  type WeightUnit,
} from '../core/profile/model.js';
import { cell, formatWeight, percent, table } from './profileFormat.js';
import { readProfileSet } from './profileRead.js';

export interface TopRow {
  name: string;
  file?: string | undefined;
  module?: string | undefined;
  kind: FrameKind;
  self: number;
  total: number;
  /** Of the profile's total weight, as a fraction. */
  selfShare: number;
  totalShare: number;
  calls: number;
}

export interface ProfileSummary {
  name: string;
  unit: WeightUnit;
  measure: Measure;
  totalWeight: number;
  /** Entries in the profile's samples (a folded line is one, whatever its count). */
  samples: number;
  /** Sum of the samples' counts: what a sampler's "N samples" says. */
  sampleCount: number;
  stacks: number;
  frames: number;
  labels?: Record<string, string> | undefined;
  top: TopRow[];
}

export interface ProfileInfo {
  file: string;
  format: string;
  name: string;
  meta: ProfileMeta;
  warnings: readonly string[];
  profiles: ProfileSummary[];
}

export async function profileInfo(
  file: string,
  options: { sampleType?: string | undefined; top?: number | undefined },
): Promise<ProfileInfo> {
  const set = await readProfileSet(file, options);
  const top = options.top ?? 20;
  return {
    file,
    format: set.format,
    name: set.name,
    meta: set.meta,
    warnings: set.warnings,
    profiles: set.profiles.map((p) => {
      const total = totalWeight(p);
      let sampleCount = 0;
      if (p.counts) for (const c of p.counts) sampleCount += c;
      else sampleCount = p.sampleStacks.length;
      const share = (v: number) => (total === 0 ? 0 : v / total);
      return {
        name: p.name,
        unit: p.unit,
        measure: p.measure,
        totalWeight: total,
        samples: p.sampleStacks.length,
        sampleCount,
        stacks: p.stacks.length,
        frames: p.frames.length,
        labels: p.labels ? { ...p.labels } : undefined,
        top: topFunctions(buildCallTree(p))
          .slice(0, top)
          .map((r) => ({
            name: r.name,
            file: r.file,
            module: r.module,
            kind: r.kind,
            self: r.self,
            total: r.total,
            selfShare: share(r.self),
            totalShare: share(r.total),
            calls: r.calls,
          })),
      };
    }),
  };
}

export function formatInfo(info: ProfileInfo): string {
  const out: string[] = [];
  const meta: string[] = [];
  if (info.meta.source) meta.push(`written by ${info.meta.source}`);
  if (info.meta.durationNs !== undefined)
    meta.push(`${formatWeight(info.meta.durationNs, 'nanoseconds')} long`);
  if (info.meta.rateHz !== undefined) meta.push(`${info.meta.rateHz} Hz`);
  if (info.meta.startMs !== undefined)
    meta.push(`from ${new Date(info.meta.startMs).toISOString()}`);
  out.push(`${info.file}: ${info.format}${meta.length ? ` (${meta.join(', ')})` : ''}`);
  if (info.meta.sampleTypes && info.meta.sampleTypes.length > 1) {
    out.push(`sample types: ${info.meta.sampleTypes.join(', ')} (choose with --sample-type)`);
  }
  out.push(`${info.profiles.length} profile${info.profiles.length === 1 ? '' : 's'}`);
  for (const p of info.profiles) {
    out.push('');
    out.push(`${cell(p.name, 100)}: ${p.measure}, ${p.unit}`);
    const counted =
      p.unit === 'samples' && p.sampleCount === p.totalWeight
        ? ''
        : ` · ${p.sampleCount.toLocaleString('en-US')} samples`;
    out.push(
      `  total ${formatWeight(p.totalWeight, p.unit)}${counted} · ` +
        `${p.stacks.toLocaleString('en-US')} stacks · ${p.frames.toLocaleString('en-US')} frames`,
    );
    if (p.top.length === 0) continue;
    const rows = [['self', 'self %', 'total %', 'function']];
    for (const r of p.top) {
      rows.push([
        formatWeight(r.self, p.unit),
        percent(r.selfShare),
        percent(r.totalShare),
        cell(r.file ? `${r.name} (${r.file})` : r.name),
      ]);
    }
    out.push(
      table(rows, new Set([0, 1, 2]))
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
  }
  if (info.warnings.length > 0) {
    out.push('');
    out.push(`${info.warnings.length} warning${info.warnings.length === 1 ? '' : 's'}:`);
    for (const w of info.warnings.slice(0, 10)) out.push(`  ${cell(w, 160)}`);
  }
  return out.join('\n');
}
