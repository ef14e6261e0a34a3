/**
 * Amounts in words with Indian numbering (thousand, lakh, crore), in English and Hindi,
 * as printed on invoices and receipts: "Rupees One Lakh Twenty-Three Thousand and Fifty Paise Only".
 */
export type Language = 'en' | 'hi';

const EN_ONES = [
  '',
  'One',
  'Two',
  'Three',
  'Four',
  'Five',
  'Six',
  'Seven',
  'Eight',
  'Nine',
  'Ten',
  'Eleven',
  'Twelve',
  'Thirteen',
  'Fourteen',
  'Fifteen',
  'Sixteen',
  'Seventeen',
  'Eighteen',
  'Nineteen',
];
const EN_TENS = ['', '', 'Twenty', 'Thirty', 'Forty', 'Fifty', 'Sixty', 'Seventy', 'Eighty', 'Ninety'];

// Hindi has a word of its own for every number below one hundred.
const HI_0_99 = (
  ' एक दो तीन चार पाँच छह सात आठ नौ दस ग्यारह बारह तेरह चौदह पंद्रह सोलह सत्रह अठारह उन्नीस बीस' +
  ' इक्कीस बाईस तेईस चौबीस पच्चीस छब्बीस सत्ताईस अट्ठाईस उनतीस तीस इकतीस बत्तीस तैंतीस चौंतीस पैंतीस छत्तीस' +
  ' सैंतीस अड़तीस उनतालीस चालीस इकतालीस बयालीस तैंतालीस चवालीस पैंतालीस छियालीस सैंतालीस अड़तालीस उनचास पचास' +
  ' इक्यावन बावन तिरपन चौवन पचपन छप्पन सत्तावन अट्ठावन उनसठ साठ इकसठ बासठ तिरसठ चौंसठ पैंसठ छियासठ सड़सठ' +
  ' अड़सठ उनहत्तर सत्तर इकहत्तर बहत्तर तिहत्तर चौहत्तर पचहत्तर छिहत्तर सतहत्तर अठहत्तर उन्यासी अस्सी इक्यासी' +
  ' बयासी तिरासी चौरासी पचासी छियासी सत्तासी अट्ठासी नवासी नब्बे इक्यानवे बानवे तिरानवे चौरानवे पचानवे छियानवे' +
  ' सत्तानवे अट्ठानवे निन्यानवे'
).split(' ');

const SCALE = {
  en: { hundred: 'Hundred', thousand: 'Thousand', lakh: 'Lakh', crore: 'Crore', zero: 'Zero' },
  hi: { hundred: 'सौ', thousand: 'हज़ार', lakh: 'लाख', crore: 'करोड़', zero: 'शून्य' },
};

function below100(n: number, lang: Language): string {
  if (lang === 'hi') return HI_0_99[n];
  if (n < 20) return EN_ONES[n];
  const ones = n % 10;
  return ones ? `${EN_TENS[Math.floor(n / 10)]}-${EN_ONES[ones]}` : EN_TENS[n / 10];
}

function below1000(n: number, lang: Language): string[] {
  const words: string[] = [];
  if (n >= 100) words.push(below100(Math.floor(n / 100), lang), SCALE[lang].hundred);
  if (n % 100) words.push(below100(n % 100, lang));
  return words;
}

/** A whole number in words, Indian style: crore, lakh, thousand, hundred (crores above 99 recurse). */
export function numberInWords(n: number, lang: Language): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('a non-negative whole number is required');
  if (n === 0) return SCALE[lang].zero;
  const words: string[] = [];
  const crore = Math.floor(n / 10_000_000);
  let rest = n % 10_000_000;
  if (crore) words.push(numberInWords(crore, lang), SCALE[lang].crore);
  const lakh = Math.floor(rest / 100_000);
  rest %= 100_000;
  if (lakh) words.push(below100(lakh, lang), SCALE[lang].lakh);
  const thousand = Math.floor(rest / 1000);
  rest %= 1000;
  if (thousand) words.push(below100(thousand, lang), SCALE[lang].thousand);
  words.push(...below1000(rest, lang));
  return words.join(' ');
}

/** "Rupees One Hundred Fifty and Twenty-Five Paise Only" / "एक सौ पचास रुपये और पच्चीस पैसे मात्र". */
export function amountInWords(paise: number, lang: Language): string {
  const abs = Math.abs(paise);
  const rupees = Math.floor(abs / 100);
  const p = abs % 100;
  const minus = paise < 0 ? (lang === 'en' ? 'Minus ' : 'ऋण ') : '';
  if (lang === 'en') {
    return `${minus}Rupees ${numberInWords(rupees, 'en')}${p ? ` and ${numberInWords(p, 'en')} Paise` : ''} Only`;
  }
  return `${minus}${numberInWords(rupees, 'hi')} रुपये${p ? ` और ${numberInWords(p, 'hi')} पैसे` : ''} मात्र`;
}
