import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCalendarDate } from '../../src/util/calendar.ts';

test('real calendar dates and hours pass; rolled-over ones do not', () => {
  for (const ok of ['2020-01-01', '2024-02-29', '2022-12-31T23:00Z', '2022-06-01T05:30', '2022-06-01T05:30:59Z']) assert.ok(isCalendarDate(ok), ok);
  for (const bad of ['2022-02-30', '2023-02-29', '2021-13-01', '2021-00-10', '2021-04-31', '2022-01-01T24:00Z', '2022-01-01T10:60', '2022/01/01', '22-01-01', '2022-1-1', ''])
    assert.ok(!isCalendarDate(bad), bad);
});
