import { matchPatient, MatchCandidate } from './patient-match';

const request = {
  id: 'ravikumar01@sbx',
  name: 'Ravi Kumar',
  gender: 'M' as const,
  yearOfBirth: 1980,
  verifiedIdentifiers: [],
  unverifiedIdentifiers: [],
};
const base: MatchCandidate = {
  id: 'p1',
  mrn: 'MRN-1',
  gender: 'male',
  birth_year: 1981,
  abha_number: null,
  abha_address: null,
  phones: ['+919876543210'],
  name_score: 0.8,
};

describe('discovery matching', () => {
  it('needs a verified identifier, then name, gender and year of birth within two years', () => {
    const ids = { mobile: '+919876543210' };
    expect(matchPatient(request, ids, {}, [base])).toEqual({
      kind: 'one',
      patientId: 'p1',
      matchedBy: ['MOBILE'],
    });
    expect(matchPatient(request, {}, ids, [base])).toEqual({ kind: 'none' });
    expect(matchPatient(request, ids, {}, [{ ...base, gender: 'female' }])).toEqual({ kind: 'none' });
    expect(matchPatient(request, ids, {}, [{ ...base, birth_year: 1983 }])).toEqual({ kind: 'none' });
    expect(matchPatient(request, ids, {}, [{ ...base, name_score: 0.1 }])).toEqual({ kind: 'none' });
  });

  it('ranks by unverified identifiers and refuses to choose between equals', () => {
    const ids = { mobile: '+919876543210' };
    const twin = { ...base, id: 'p2', mrn: 'MRN-2' };
    expect(matchPatient(request, ids, {}, [base, twin])).toEqual({ kind: 'multiple' });
    expect(matchPatient(request, ids, { mr: 'MRN-2' }, [base, twin])).toEqual({
      kind: 'one',
      patientId: 'p2',
      matchedBy: ['MOBILE'],
    });
  });
});
