/** The printed documents' own words, English and Hindi (clinical content prints as recorded). */
export const PRINT_LABELS = {
  en: {
    opdCard: 'OPD card',
    prescription: 'Prescription',
    patient: 'Patient',
    mrn: 'MRN',
    ageSex: 'Age / sex',
    years: 'years',
    phone: 'Phone',
    abhaNumber: 'ABHA number',
    abhaAddress: 'ABHA address',
    registered: 'Registered',
    doctor: 'Doctor',
    department: 'Department',
    date: 'Date',
    vitals: 'Vitals',
    complaints: 'Complaints',
    diagnoses: 'Diagnoses',
    medicine: 'Medicine',
    dose: 'Dose',
    route: 'Route',
    frequency: 'Frequency',
    days: 'Days',
    instructions: 'Instructions',
    advice: 'Advice',
    followUp: 'Follow-up',
    signature: 'Signature',
    printed: 'Printed',
    amended: 'Amended version',
    gender: { male: 'Male', female: 'Female', other: 'Other', unknown: 'Unknown' } as Record<string, string>,
    noMedicines: 'No medicines prescribed.',
  },
  hi: {
    opdCard: 'ओपीडी कार्ड',
    prescription: 'पर्चा',
    patient: 'रोगी',
    mrn: 'एमआरएन',
    ageSex: 'आयु / लिंग',
    years: 'वर्ष',
    phone: 'फ़ोन',
    abhaNumber: 'आभा संख्या',
    abhaAddress: 'आभा पता',
    registered: 'पंजीकरण',
    doctor: 'डॉक्टर',
    department: 'विभाग',
    date: 'दिनांक',
    vitals: 'जीवन संकेत',
    complaints: 'शिकायतें',
    diagnoses: 'निदान',
    medicine: 'दवा',
    dose: 'खुराक',
    route: 'मार्ग',
    frequency: 'आवृत्ति',
    days: 'दिन',
    instructions: 'निर्देश',
    advice: 'सलाह',
    followUp: 'अगली जाँच',
    signature: 'हस्ताक्षर',
    printed: 'मुद्रित',
    amended: 'संशोधित संस्करण',
    gender: { male: 'पुरुष', female: 'महिला', other: 'अन्य', unknown: 'अज्ञात' } as Record<string, string>,
    noMedicines: 'कोई दवा नहीं लिखी गई।',
  },
} as const;

export type PrintLanguage = keyof typeof PRINT_LABELS;

/** Clinics here are in India: dates print DD/MM/YYYY in IST whatever the server's zone. */
const DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', day: '2-digit', month: '2-digit', year: 'numeric' });
const TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', hour: '2-digit', minute: '2-digit', hour12: false });

export const printDate = (d: Date) => DAY.format(d);
export const printDateTime = (d: Date) => `${DAY.format(d)} ${TIME.format(d)}`;
/** A calendar day (YYYY-MM-DD) as DD/MM/YYYY, without time-zone arithmetic. */
export const printDay = (day: string) => day.split('-').reverse().join('/');

/** Whole years on `at` (IST), from a full birth date or only a birth year. */
export function ageInYears(birthDate: string | null, birthYear: number, at: Date): number {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(at).split('-').map(Number);
  if (!birthDate) return y - birthYear;
  const [by, bm, bd] = birthDate.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
