// The age of a forecast's data: hours since the newest candle closed and before --end's last hour; a warning past 2 h.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forecastAge, OLD_DATA_WARNING_HOURS } from '../../src/pipeline/forecast-age.ts';

const H = 3_600_000;
const last = Date.parse('2024-05-01T10:00Z');

test('ages against the clock and --end; the warning starts just past the threshold', () => {
  const at = (hoursAfterClose: number, endMs = last) => forecastAge(last, last + H + hoursAfterClose * H, endMs);
  assert.equal(OLD_DATA_WARNING_HOURS, 2);
  const ok = at(2);
  assert.equal(ok.last_candle_closed_at, '2024-05-01T11:00Z');
  assert.equal(ok.hours_before_now, 2);
  assert.equal(ok.warning, null, 'exactly 2 h: no warning');
  assert.match(at(2.25).warning!, /^the newest candle \(2024-05-01T10:00Z\) closed 2\.3 h ago, more than 2 h/);
  assert.match(at(24 * 9).warning!, /closed 9\.0 days ago/);
  assert.equal(at(0, last + 5 * H).hours_before_end, 5);
  assert.equal(at(0, last - 2 * H).hours_before_end, -2, 'data newer than --end');
});
