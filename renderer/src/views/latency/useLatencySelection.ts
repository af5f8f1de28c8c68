/**
 * The family, model and instance the page shows, with their choices read from the server: models
 * from `model_name` label values, instances from the label sets of the family's running gauge —
 * and, before that list arrives (it took 47 s at 643 instances, queued behind the panels), from
 * the instances the window's traffic answer names, so the selectors work from what is known.
 */
import { useMemo, useState } from 'react';

import type { Discovery } from '../../../../collector/core/prometheus/discovery.js';
import {
  ENGINE_FAMILY_IDS,
  type EngineFamilyId,
} from '../../../../collector/core/prometheus/families.js';
import { selector } from '../../../../collector/core/prometheus/promql.js';
import type { Labels, PrometheusSource } from '../../sources/prometheus/PrometheusSource.js';
import { usePrometheusLabelValues, usePrometheusSeries } from '../../sources/prometheus/queries.js';

export interface LatencySelectionState {
  families: EngineFamilyId[];
  family: EngineFamilyId | undefined;
  setFamily: (f: EngineFamilyId) => void;
  models: string[] | undefined;
  model: string | undefined;
  setModel: (m: string | undefined) => void;
  /** The running gauge's label sets (every instance), once they arrive. */
  instanceSets: Labels[] | undefined;
  /** The picked instance's id; instanceChoices (instances.ts) finds it among the options. */
  instanceId: string | undefined;
  setInstance: (id: string | undefined) => void;
  /** Why the choices could not be read (the panels still load for "all"). */
  error?: string;
}

export function useLatencySelection(
  source: PrometheusSource,
  discovery: Discovery | undefined,
): LatencySelectionState {
  const families = ENGINE_FAMILY_IDS.filter((f) => discovery?.engines[f]);
  const [picked, setFamily] = useState<EngineFamilyId>();
  const family = picked && families.includes(picked) ? picked : families[0];
  const gauge = family ? discovery?.engines[family]?.quantities.running?.names[0] : undefined;
  const [model, setModel] = useState<string>();
  const [instanceId, setInstance] = useState<string>();

  const models = usePrometheusLabelValues(source, 'model_name', gauge ? [gauge] : [], !!gauge);
  const match = useMemo(
    () => (gauge ? [selector(gauge, model === undefined ? {} : { model_name: model })] : []),
    [gauge, model],
  );
  const series = usePrometheusSeries(source, match);
  const error = models.error?.message ?? series.error?.message;
  return {
    families,
    family,
    setFamily: (f) => {
      setFamily(f);
      setModel(undefined);
      setInstance(undefined);
    },
    models: models.data?.data,
    model,
    setModel: (m) => {
      setModel(m);
      setInstance(undefined);
    },
    instanceSets: series.data?.data,
    instanceId,
    setInstance,
    ...(error ? { error } : {}),
  };
}
