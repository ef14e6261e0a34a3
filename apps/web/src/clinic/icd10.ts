/**
 * Common outpatient ICD-10 codes (WHO ICD-10 2019 titles) for the diagnosis look-up. A short
 * list on purpose: it answers the desk's everyday codes offline; any other valid code can
 * still be typed, and the API checks its shape.
 */
export const ICD10_COMMON: ReadonlyArray<readonly [code: string, title: string]> = [
  ['A09', 'Other gastroenteritis and colitis of infectious and unspecified origin'],
  ['B34.9', 'Viral infection, unspecified'],
  ['D64.9', 'Anaemia, unspecified'],
  ['E03.9', 'Hypothyroidism, unspecified'],
  ['E11.9', 'Type 2 diabetes mellitus without complications'],
  ['E78.5', 'Hyperlipidaemia, unspecified'],
  ['F41.1', 'Generalized anxiety disorder'],
  ['G43.9', 'Migraine, unspecified'],
  ['H10.9', 'Conjunctivitis, unspecified'],
  ['H66.9', 'Otitis media, unspecified'],
  ['I10', 'Essential (primary) hypertension'],
  ['J00', 'Acute nasopharyngitis [common cold]'],
  ['J02.9', 'Acute pharyngitis, unspecified'],
  ['J06.9', 'Acute upper respiratory infection, unspecified'],
  ['J18.9', 'Pneumonia, unspecified'],
  ['J20.9', 'Acute bronchitis, unspecified'],
  ['J30.4', 'Allergic rhinitis, unspecified'],
  ['J45.9', 'Asthma, unspecified'],
  ['K21.9', 'Gastro-oesophageal reflux disease without oesophagitis'],
  ['K29.7', 'Gastritis, unspecified'],
  ['K30', 'Dyspepsia'],
  ['K59.0', 'Constipation'],
  ['L30.9', 'Dermatitis, unspecified'],
  ['M54.5', 'Low back pain'],
  ['M79.1', 'Myalgia'],
  ['N39.0', 'Urinary tract infection, site not specified'],
  ['R05', 'Cough'],
  ['R10.4', 'Other and unspecified abdominal pain'],
  ['R50.9', 'Fever, unspecified'],
  ['R51', 'Headache'],
  ['A90', 'Dengue fever [classical dengue]'],
  ['B54', 'Unspecified malaria'],
  ['A01.0', 'Typhoid fever'],
];

/** "J06.9 · Acute upper …" (a picked option) → code and text; anything else stays text. */
export function parseIcdOption(value: string): { icd10?: string; text: string } {
  const m = value.match(/^([A-Z]\d{2}(?:\.\d{1,2})?) · (.+)$/);
  return m ? { icd10: m[1], text: m[2] } : { text: value };
}

export const icdOption = (code: string, title: string) => `${code} · ${title}`;
