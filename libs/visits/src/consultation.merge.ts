import { isDeepStrictEqual } from 'node:util';
import type { Consultation, Vitals } from './consultation.model';
import type { ConsultationPatchDto } from './dto/consultation.dto';

/**
 * Applies a consultation merge patch (RFC 7396) to stored content: vitals merge key by
 * key (null clears one), lists replace whole, advice / followUpDate / notes are replaced
 * or cleared by null. Returns a new object in a stable key order; absent optional
 * values are left out, never stored as null.
 */
export function mergeConsultation(current: Consultation, patch: ConsultationPatchDto): Consultation {
  const vitals: Record<string, number> = { ...(current.vitals ?? {}) } as Record<string, number>;
  if (patch.vitals) {
    for (const [k, v] of Object.entries(patch.vitals)) {
      if (v === undefined) continue;
      if (v === null) delete vitals[k];
      else vitals[k] = v as number;
    }
  }
  const next: Consultation = {
    vitals: sortKeys(vitals) as Vitals,
    complaints: plain(patch.complaints ?? current.complaints ?? []),
    diagnoses: plain(patch.diagnoses ?? current.diagnoses ?? []),
    medications: plain(patch.medications ?? current.medications ?? []),
  };
  for (const k of ['advice', 'followUpDate', 'notes'] as const) {
    const value = patch[k] === undefined ? current[k] : patch[k];
    if (value !== null && value !== undefined) next[k] = value;
  }
  return next;
}

/** Which top-level parts of the consultation differ (names only, for events); values, not key order (jsonb reorders keys). */
export function changedParts(a: Consultation, b: Consultation): string[] {
  const keys = [
    'vitals',
    'complaints',
    'diagnoses',
    'medications',
    'advice',
    'followUpDate',
    'notes',
  ] as const;
  return keys.filter((k) => !isDeepStrictEqual(a[k] ?? null, b[k] ?? null));
}

/**
 * Checks across fields of the merged content (each field alone was range-checked by the DTO):
 * a systolic pressure must exceed the diastolic one. Field paths as the DTO reports them.
 */
export function consultationErrors(
  c: Consultation,
  prefix = 'consultation',
): { field: string; message: string }[] {
  const { systolicMmHg: sys, diastolicMmHg: dia } = c.vitals ?? {};
  if (sys !== undefined && dia !== undefined && sys <= dia) {
    return [
      { field: `${prefix}.vitals.diastolicMmHg`, message: 'diastolicMmHg must be lower than systolicMmHg' },
    ];
  }
  return [];
}

/** Body mass index (kg/m²) from weight and height, one decimal; undefined unless both are known. */
export function bmiOf(vitals: Vitals): number | undefined {
  if (!vitals.weightKg || !vitals.heightCm) return undefined;
  const metres = vitals.heightCm / 100;
  return Math.round((vitals.weightKg / (metres * metres)) * 10) / 10;
}

/** DTO instances → plain JSON objects without undefined keys (what jsonb stores and compares). */
function plain<T>(items: T[]): T[] {
  return items.map(
    (i) => sortKeys(Object.fromEntries(Object.entries(i as object).filter(([, v]) => v !== undefined))) as T,
  );
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
}
