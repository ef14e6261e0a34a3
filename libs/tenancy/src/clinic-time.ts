import type { RequestState } from './tenant-scope';

/** The time zone of a clinic that has none recorded: the clinics this product serves are in India. */
export const DEFAULT_CLINIC_TIME_ZONE = 'Asia/Kolkata';

/**
 * The clinic's IANA time zone (tenant setting `timeZone`, set at onboarding): the clock its
 * schedules, service days and queue tokens follow. An unknown or missing value falls back to India.
 */
export function clinicTimeZone(state: RequestState): string {
  const tz = state.tenant?.settings?.timeZone;
  if (typeof tz !== 'string' || tz.length === 0) return DEFAULT_CLINIC_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz;
  } catch {
    return DEFAULT_CLINIC_TIME_ZONE;
  }
}
