import { criterionFor } from './database-patient-search';
import { phoneDigits, toDocument } from './patient-document';
import { decodeSearchCursor, encodeSearchCursor, parseQuery, queryHash } from './search-query';

describe('parseQuery', () => {
  it('keeps names of any script and folds Latin accents', () => {
    expect(parseQuery('  José   Ramírez ').nameForm).toBe('jose ramirez');
    expect(parseQuery('राम कुमार').nameForm).toBe('राम कुमार');
    expect(parseQuery('+91 98765-43210').digits).toBe('919876543210');
    expect(parseQuery('ravi 98765').digits).toBeNull();
  });

  it('reads free text as the criterion it looks like, for the database search', () => {
    expect(criterionFor(parseQuery('12-3456-7890-1234'))).toEqual({ abha: '12345678901234' });
    expect(criterionFor(parseQuery('Ravi.K@abdm'))).toEqual({ abha: 'ravi.k@abdm' });
    expect(criterionFor(parseQuery('098765 43210'))).toEqual({ phone: '098765 43210' });
    expect(criterionFor(parseQuery('MRN-000123'))).toEqual({ mrn: 'MRN-000123' });
    expect(criterionFor(parseQuery('ravi kum'))).toEqual({ name: 'ravi kum' });
    expect(criterionFor(parseQuery('r'))).toBeUndefined();
  });
});

describe('cursors', () => {
  const hash = queryHash('11111111-1111-4111-8111-111111111111', parseQuery('ravi'));

  it('round-trip and stay bound to their query', () => {
    const c = encodeSearchCursor({ s: 'elasticsearch', a: [1.5, 'abc'], h: hash.slice(0, 16) });
    expect(decodeSearchCursor(c, hash)).toEqual({ s: 'elasticsearch', a: [1.5, 'abc'], h: hash.slice(0, 16) });
    const other = queryHash('11111111-1111-4111-8111-111111111111', parseQuery('sita'));
    expect(() => decodeSearchCursor(c, other)).toThrow(/does not belong/);
    expect(() => decodeSearchCursor('%%%', hash)).toThrow(expect.objectContaining({ kind: 'validation' }));
  });

  it('are rejected as a 400 before any query when their sort values have the wrong type or shape', () => {
    const h = hash.slice(0, 16);
    for (const a of [[{}, 'abc'], ['1.5', 'abc'], [1.5, 7], [1.5, 'x'.repeat(65)], [1.5], 'abc']) {
      const c = Buffer.from(JSON.stringify({ s: 'elasticsearch', a, h })).toString('base64url');
      expect(() => decodeSearchCursor(c, hash)).toThrow(/does not belong/);
    }
  });

  it('carry the database free-text keyset (score, id), and only one kind of database paging state', () => {
    const h = hash.slice(0, 16);
    const id = '0b2f3c4d-1e2f-4a5b-8c9d-0e1f2a3b4c5d';
    const c = encodeSearchCursor({ s: 'database', k: [0.25, id], h });
    expect(decodeSearchCursor(c, hash)).toEqual({ s: 'database', k: [0.25, id], h });
    const bad = [
      { k: ['0.25', id] },
      { k: [0.25, 'not-a-uuid'] },
      { k: [0.25] },
      { k: [null, id] },
      { k: [0.25, id], o: 20 },
      { k: [0.25, id], c: 'abc' },
      { o: 10001 },
      {},
    ];
    for (const state of bad) {
      const raw = Buffer.from(JSON.stringify({ s: 'database', ...state, h })).toString('base64url');
      expect(() => decodeSearchCursor(raw, hash)).toThrow(/does not belong/);
    }
  });

  it('hash the tenant with the query, so equal queries of two clinics differ', () => {
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(queryHash('22222222-2222-4222-8222-222222222222', parseQuery('ravi'))).not.toBe(hash);
  });
});

describe('documents', () => {
  it('carry the tenant, searchable phone digits and lower-case identifiers', () => {
    expect(phoneDigits(['+919876543210'])).toEqual(['919876543210', '9876543210']);
    const doc = toDocument({
      tenant_id: 't',
      id: 'p',
      mrn: 'MRN-000001',
      name_given: ['Ravi'],
      name_family: 'Kumar',
      name_text: 'Ravi Kumar',
      search_name: 'ravi kumar',
      gender: 'male',
      birth_date: '1990-01-02',
      birth_year: 1990,
      birth_date_approximate: false,
      phones: ['+919876543210'],
      email: 'R@X.IN',
      abha_number: null,
      abha_address: 'ravi.k@abdm',
      active: true,
      deceased: false,
      version: 3,
      name_prefix: [],
      address: null,
      created_at: new Date('2025-01-01T00:00:00Z'),
      updated_at: new Date('2025-01-01T00:00:00Z'),
      created_by: null,
      updated_by: null,
    });
    expect(doc).toMatchObject({
      tenantId: 't',
      patientId: 'p',
      mrnLower: 'mrn-000001',
      email: 'r@x.in',
      version: 3,
      updatedAt: '2025-01-01T00:00:00.000Z',
    });
  });
});
