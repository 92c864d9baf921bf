// The two channels of a coin (docs/model.md#tokenization): price = log return of close, volume = log change of floored volume.
// A change is defined only between consecutive rows of one segment; elsewhere (segment start, marked rows) it is NaN.

/** Fraction of the median positive training volume used as the volume floor f. */
export const VOLUME_FLOOR_FRACTION = 1e-3;

function continues(segment: Int32Array, t: number): boolean {
  return t > 0 && segment[t]! >= 0 && segment[t] === segment[t - 1];
}

/** log(close_t / close_{t-1}) where row t-1 is the previous hour of the same segment; NaN otherwise. */
export function logReturns(close: Float64Array, segment: Int32Array, out = new Float64Array(close.length)): Float64Array {
  for (let t = 0; t < close.length; t++) out[t] = continues(segment, t) ? Math.log(close[t]! / close[t - 1]!) : NaN;
  return out;
}

/** log((v_t + f) / (v_{t-1} + f)) with the same continuity rule; f > 0 keeps zero-volume hours finite. */
export function logVolumeChanges(volume: Float64Array, segment: Int32Array, floor: number, out = new Float64Array(volume.length)): Float64Array {
  if (!(floor > 0)) throw new RangeError(`logVolumeChanges: the floor must be > 0, got ${floor}`);
  for (let t = 0; t < volume.length; t++) {
    out[t] = continues(segment, t) ? Math.log((volume[t]! + floor) / (volume[t - 1]! + floor)) : NaN;
  }
  return out;
}

/**
 * The volume floor f of one coin: VOLUME_FLOOR_FRACTION x the median of its positive volumes in the rows where
 * `mask` is 1 (the training split), so it is fitted on training data only; 1 when there is no positive volume there.
 */
export function volumeFloor(volume: Float64Array, mask: Uint8Array): number {
  const buf = new Float64Array(volume.length);
  let m = 0;
  for (let t = 0; t < volume.length; t++) if (mask[t] && volume[t]! > 0) buf[m++] = volume[t]!;
  if (m === 0) return 1;
  const pos = buf.subarray(0, m).sort();
  const median = m % 2 ? pos[(m - 1) / 2]! : (pos[m / 2 - 1]! + pos[m / 2]!) / 2;
  return VOLUME_FLOOR_FRACTION * median;
}
