import { describe, expect, it } from 'vitest';
import { periodDays } from '../src/lib/calendar';

// The local days a ledger question covers (`上周卖了多少`), counted in the organisation's zone.
describe('periodDays', () => {
  // Wednesday 2026-12-09 00:30 in Shanghai is still Tuesday 2026-12-08 in UTC.
  const wedNight = new Date('2026-12-08T16:30:00Z');

  it('counts days in the given zone, not in UTC', () => {
    expect(periodDays('today', wedNight, 'Asia/Shanghai')).toEqual({ from: '2026-12-09', to: '2026-12-10' });
    expect(periodDays('today', wedNight, 'UTC')).toEqual({ from: '2026-12-08', to: '2026-12-09' });
    expect(periodDays('yesterday', wedNight, 'Asia/Shanghai')).toEqual({ from: '2026-12-08', to: '2026-12-09' });
  });

  it('weeks start on Monday; this week runs to today, last week is the seven days before it', () => {
    expect(periodDays('this_week', wedNight, 'Asia/Shanghai')).toEqual({ from: '2026-12-07', to: '2026-12-10' });
    expect(periodDays('last_week', wedNight, 'Asia/Shanghai')).toEqual({ from: '2026-11-30', to: '2026-12-07' });
    // A Sunday belongs to the week that began the Monday before it.
    const sunday = new Date('2026-12-13T04:00:00Z');
    expect(periodDays('this_week', sunday, 'Asia/Shanghai')).toEqual({ from: '2026-12-07', to: '2026-12-14' });
    const monday = new Date('2026-12-14T04:00:00Z');
    expect(periodDays('last_week', monday, 'Asia/Shanghai')).toEqual({ from: '2026-12-07', to: '2026-12-14' });
  });

  it('months run from the first, across a year end and a short February', () => {
    expect(periodDays('this_month', wedNight, 'Asia/Shanghai')).toEqual({ from: '2026-12-01', to: '2026-12-10' });
    expect(periodDays('last_month', wedNight, 'Asia/Shanghai')).toEqual({ from: '2026-11-01', to: '2026-12-01' });
    expect(periodDays('last_month', new Date('2027-01-15T04:00:00Z'), 'Asia/Shanghai')).toEqual({ from: '2026-12-01', to: '2027-01-01' });
    expect(periodDays('last_month', new Date('2027-03-31T04:00:00Z'), 'Asia/Shanghai')).toEqual({ from: '2027-02-01', to: '2027-03-01' });
  });
});
