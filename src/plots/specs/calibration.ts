// Vega-Lite reliability diagram (calibration.png of step 7): observed frequency against mean predicted probability
// per probability bin, one line per method, one panel per forecast hour shown, with the diagonal of perfect calibration.
import type { Spec } from '../render.ts';
import type { ReliabilityBin } from '../../evaluate/calibration.ts';

export interface ReliabilityCurve { method: string; hour: number; bins: ReliabilityBin[] }

/** One panel per hour; points sized by how many (window, class) pairs fall in the bin. */
export function reliabilitySpec(curves: ReliabilityCurve[], title = 'Reliability (one-vs-rest, all classes)'): Spec {
  const rows = curves.flatMap((c) => c.bins.filter((b) => b.count > 0).map((b) => ({
    method: c.method, hour: `hour ${c.hour}`, confidence: b.confidence, frequency: b.frequency, count: b.count,
  })));
  const hours = [...new Set(curves.map((c) => `hour ${c.hour}`))];
  const diagonal = hours.flatMap((hour) => [{ hour, confidence: 0, frequency: 0 }, { hour, confidence: 1, frequency: 1 }]);
  return {
    title,
    data: { values: [...rows, ...diagonal.map((d) => ({ ...d, method: 'perfect calibration', count: 0 }))] },
    facet: { column: { field: 'hour', type: 'nominal', title: null, sort: hours } },
    spec: {
      width: 220, height: 220,
      encoding: {
        x: { field: 'confidence', type: 'quantitative', title: 'mean predicted probability', scale: { domain: [0, 1] } },
        y: { field: 'frequency', type: 'quantitative', title: 'observed frequency', scale: { domain: [0, 1] } },
        color: { field: 'method', type: 'nominal' },
      },
      layer: [
        { mark: { type: 'line', strokeDash: [4, 3] }, transform: [{ filter: "datum.method === 'perfect calibration'" }] },
        { mark: { type: 'line', point: true }, transform: [{ filter: "datum.method !== 'perfect calibration'" }] },
      ],
    },
  } as Spec;
}
