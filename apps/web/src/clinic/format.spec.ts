import { ageInYears, formatDate, formatDay, parseDateTime, parseDay } from './format';

describe('front-desk formats', () => {
  it('reads DD/MM/YYYY and refuses days that do not exist', () => {
    expect(parseDay('05/03/1990')).toBe('1990-03-05');
    expect(parseDay('5/3/1990')).toBe('1990-03-05');
    expect(parseDay('31/02/2020')).toBeUndefined();
    expect(parseDay('1990-03-05')).toBeUndefined();
  });
  it('writes DD/MM/YYYY', () => {
    expect(formatDay('2026-12-15')).toBe('15/12/2026');
    expect(formatDate(new Date(2026, 11, 8, 9, 30))).toBe('08/12/2026');
  });
  it('reads a booking time in the local zone', () => {
    expect(parseDateTime('08/12/2026 09:30')).toBe(new Date(2026, 11, 8, 9, 30).toISOString());
    expect(parseDateTime('08/12/2026 24:00')).toBeUndefined();
  });
  it('counts age in whole years, birthday or not yet', () => {
    const now = new Date(2026, 11, 8);
    expect(ageInYears('1990-12-08', 1990, now)).toBe(36);
    expect(ageInYears('1990-12-09', 1990, now)).toBe(35);
    expect(ageInYears('1990', 1990, now)).toBe(36);
  });
});
