import { recoveryTarget } from './backup.command';

describe('backup restore --to: the recovery target', () => {
  it('keeps microseconds and the zone, in the form PostgreSQL and pgBackRest both read', () => {
    expect(recoveryTarget('2026-12-08 00:35:06.820881+00')).toBe('2026-12-08 00:35:06.820881+00');
    expect(recoveryTarget('2026-12-08T00:35:06.820Z')).toBe('2026-12-08 00:35:06.820+00');
    expect(recoveryTarget('2026-12-08T06:05:06+05:30')).toBe('2026-12-08 06:05:06+05:30');
  });

  it('refuses a time without a zone, a date alone and nonsense', () => {
    expect(recoveryTarget('2026-12-08 00:35:06')).toBeNull();
    expect(recoveryTarget('2026-12-08')).toBeNull();
    expect(recoveryTarget('2026-13-45 99:00:00Z')).toBeNull();
    expect(recoveryTarget('yesterday')).toBeNull();
    expect(recoveryTarget(undefined)).toBeNull();
  });
});
