import fc from 'fast-check';
import { computeLine, divHalfUp, formatRupees, invoiceTotals, negateLine } from './money';
import { fiscalYearOf, invoiceNumber, localDay } from './fiscal';
import { amountInWords, numberInWords } from './words';

const rate = fc.constantFrom<number | null>(null, 0, 500, 1200, 1800, 2800);
const line = fc.record({
  unitPricePaise: fc.integer({ min: 0, max: 10_000_000 }),
  quantity: fc.integer({ min: 1, max: 1000 }),
  discountBp: fc.option(fc.integer({ min: 0, max: 10000 }), { nil: undefined }),
  gstRateBp: rate,
});

describe('invoice arithmetic (integer paise)', () => {
  it('rounds half up on the magnitude, symmetric for negatives', () => {
    expect([
      divHalfUp(5n, 10n),
      divHalfUp(4n, 10n),
      divHalfUp(15n, 10n),
      divHalfUp(-5n, 10n),
      divHalfUp(-4n, 10n),
    ]).toEqual([1n, 0n, 2n, -1n, 0n]);
  });

  it('a worked line: ₹333.33 × 3, 10 % off, 18 % GST split into CGST and SGST rounded per line', () => {
    expect(computeLine({ unitPricePaise: 33333, quantity: 3, discountBp: 1000, gstRateBp: 1800 })).toEqual({
      grossPaise: 99999,
      discountPaise: 10000, // 9999.9 rounds up
      taxablePaise: 89999,
      cgstPaise: 8100, // 8099.91 → 8100
      sgstPaise: 8100,
      totalPaise: 106199,
    });
  });

  it('property: the invoice total is the sum of its lines, and each line is gross − discount + tax', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 30 }), (inputs) => {
        const lines = inputs.map(computeLine);
        const totals = invoiceTotals(lines);
        expect(totals.totalPaise).toBe(lines.reduce((a, l) => a + l.totalPaise, 0));
        expect(totals.totalPaise).toBe(totals.subtotalPaise - totals.discountPaise + totals.taxPaise);
        for (const [i, l] of lines.entries()) {
          expect(Number.isInteger(l.totalPaise)).toBe(true);
          expect(l.discountPaise).toBeGreaterThanOrEqual(0);
          expect(l.discountPaise).toBeLessThanOrEqual(l.grossPaise);
          if (inputs[i].gstRateBp === null) expect(l.cgstPaise + l.sgstPaise).toBe(0);
          expect(l.cgstPaise).toBe(l.sgstPaise);
        }
      }),
    );
  });

  it('property: a credit note (every line negated) nets the invoice to zero', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), (inputs) => {
        const lines = inputs.map(computeLine);
        const invoice = invoiceTotals(lines);
        const credit = invoiceTotals(lines.map(negateLine));
        expect(invoice.totalPaise + credit.totalPaise).toBe(0);
        expect(invoice.taxPaise + credit.taxPaise).toBe(0);
      }),
    );
  });

  it('formats rupees with Indian digit grouping', () => {
    expect([formatRupees(12345670), formatRupees(5), formatRupees(-100000)]).toEqual([
      '₹1,23,456.70',
      '₹0.05',
      '-₹1,000.00',
    ]);
  });
});

describe('amounts in words (Indian numbering)', () => {
  it('English: lakh and crore', () => {
    expect(numberInWords(12345678, 'en')).toBe(
      'One Crore Twenty-Three Lakh Forty-Five Thousand Six Hundred Seventy-Eight',
    );
    expect(amountInWords(10000050, 'en')).toBe('Rupees One Lakh and Fifty Paise Only');
    expect(amountInWords(100, 'en')).toBe('Rupees One Only');
    expect(numberInWords(1_000_000_000, 'en')).toBe('One Hundred Crore');
  });

  it('Hindi: every number below a hundred has its own word', () => {
    expect(amountInWords(15025, 'hi')).toBe('एक सौ पचास रुपये और पच्चीस पैसे मात्र');
    expect(numberInWords(2_50_00_099, 'hi')).toBe('दो करोड़ पचास लाख निन्यानवे');
    expect(numberInWords(78, 'hi')).toBe('अठहत्तर');
  });

  it('property: every amount has words, and different rupee amounts below a crore have different words', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9_999_999 }), fc.integer({ min: 1, max: 9_999_999 }), (a, b) => {
        fc.pre(a !== b);
        for (const lang of ['en', 'hi'] as const) {
          expect(numberInWords(a, lang)).not.toBe(numberInWords(b, lang));
          expect(numberInWords(a, lang)).not.toMatch(/undefined|\s\s/);
        }
      }),
    );
  });
});

describe('financial year (April–March, clinic time zone)', () => {
  it('1 April 00:10 IST is the new year although it is still 31 March in UTC', () => {
    const at = new Date('2026-03-31T18:40:00Z');
    expect(localDay(at, 'Asia/Kolkata')).toBe('2026-04-01');
    expect(fiscalYearOf(at, 'Asia/Kolkata')).toBe('2026-27');
    expect(fiscalYearOf(at, 'UTC')).toBe('2025-26');
    expect(fiscalYearOf(new Date('2099-12-31T00:00:00Z'), 'Asia/Kolkata')).toBe('2099-00');
    expect(invoiceNumber('INV', '2026-27', 42)).toBe('INV-2026-27-00042');
  });
});
