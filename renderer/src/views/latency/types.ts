/** The latency view's panels and the models its charts are drawn from. */
import type { LatencyPanel } from '../../../../collector/core/prometheus/latencyQueries.js';
import type { LatencyUnit } from './units.js';

export type { LatencyPanel };

/**
 * What a panel root says in `data-state`: tests and the load benchmark wait on it. `not-loaded`:
 * its queries failed with the server-wide failure the view's one banner says (serverFailure.ts).
 */
export type PanelState = 'loading' | 'ready' | 'empty' | 'error' | 'unavailable' | 'not-loaded';

import type { Point } from '../../sources/prometheus/matrixPoints.js';

export type { Point };

export interface LineSeries {
  id: string;
  name: string;
  points: Point[];
  color?: string;
  /** Stacked series share a stack name (finish reasons). */
  stack?: string;
  dashed?: boolean;
}

export interface LinePanelModel {
  unit: LatencyUnit;
  series: LineSeries[];
  /** The view's range (ms): every chart shows exactly it, so they line up under the crosshair. */
  range: [number, number];
  /** A service-level objective line, in the unit's base (seconds for latency). */
  slo?: { value: number; label: string };
  /** Where live (NATS) points begin (ms): shaded and labelled on the chart. */
  liveFrom?: number;
  /** Fixed top of the y axis (100 for shares). */
  yMax?: number;
}
