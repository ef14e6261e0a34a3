import { changedFields, EMPTY_FORM, fieldErrors, fieldOf, toForm, toPatch } from './patient-form';

const stored = {
  name: { given: ['Ravi'], family: 'Kumar' },
  gender: 'male',
  birthDate: '1990-05-17',
  phones: ['+919876543210'],
  email: null,
  abhaNumber: '12345678901234',
  abhaAddress: null,
  address: { city: 'Pune' },
};

describe('patient form model', () => {
  it("puts each of the API's field errors beside the input that caused it", () => {
    expect(fieldOf('name.given.0')).toBe('given');
    expect(fieldOf('name')).toBe('given');
    expect(fieldOf('name.family')).toBe('family');
    expect(fieldOf('phones.1')).toBe('phone');
    expect(fieldOf('address.postalCode')).toBe('postalCode');
    expect(fieldOf('address.lines.0')).toBe('line');
    expect(fieldOf('birthDateApproximate')).toBe('birthDate');
    expect(fieldOf('abhaNumber')).toBe('abhaNumber');
    expect(fieldOf('body')).toBeNull();
    const { fields, other } = fieldErrors({
      type: 'urn:hims:problem:validation-failed',
      title: 'x',
      status: 400,
      errors: [
        { field: 'birthDate', message: 'birthDate must be a real date' },
        { field: 'body', message: 'unknown field' },
      ],
    });
    expect(fields).toEqual({ birthDate: 'birthDate must be a real date' });
    expect(other).toEqual(['unknown field']);
  });

  it('patches only what changed, replacing name and address whole, and clears with null', () => {
    const before = toForm(stored);
    expect(toPatch(before, { ...before, city: 'Nashik' })).toEqual({ address: { city: 'Nashik' } });
    expect(toPatch(before, { ...before, family: 'Kumaar' })).toEqual({
      name: { given: ['Ravi'], family: 'Kumaar' },
    });
    expect(toPatch(before, { ...before, abhaNumber: '', phone: '' })).toEqual({
      abhaNumber: null,
      phones: null,
    });
    expect(toPatch(before, { ...before })).toEqual({});
    expect(changedFields(before, { ...before, email: 'a@b.in', city: 'Nashik' })).toEqual(['email', 'city']);
    expect(changedFields(EMPTY_FORM, EMPTY_FORM)).toEqual([]);
  });
});
