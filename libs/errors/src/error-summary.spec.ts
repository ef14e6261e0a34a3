import { describeError, errorSummary } from './error-summary';
import { isCalendarDay } from './validation';

/** The shape TypeORM's QueryFailedError has for a failing INSERT (driverError is pg's DatabaseError). */
function queryFailed() {
  const driverError = Object.assign(
    new Error('new row for relation "patients" violates check constraint "patients_name_text_check"'),
    {
      code: '23514',
      detail: 'Failing row contains (Asha Verma, +919876543210, 91-1234-5678-9012).',
      table: 'patients',
      schema: 'clinical',
      constraint: 'patients_name_text_check',
      routine: 'ExecConstraints',
    },
  );
  return Object.assign(new Error(driverError.message), {
    name: 'QueryFailedError',
    query: 'INSERT INTO clinical.patients … VALUES ($1, $2)',
    parameters: ['Asha Verma', '+919876543210'],
    driverError,
    code: '23514',
  });
}

describe('errorSummary', () => {
  it('keeps SQLSTATE, constraint, table and routine of a database error, and nothing of its row or parameters', () => {
    const summary = errorSummary(queryFailed());
    expect(summary).toEqual({
      type: 'QueryFailedError',
      sqlState: '23514',
      constraint: 'patients_name_text_check',
      schema: 'clinical',
      table: 'patients',
      routine: 'ExecConstraints',
    });
    const text = JSON.stringify(summary) + describeError(queryFailed());
    for (const value of ['Asha', '+919876543210', '9012', 'Failing row']) expect(text).not.toContain(value);
    expect(describeError(queryFailed())).toBe(
      'QueryFailedError SQLSTATE 23514, constraint patients_name_text_check, table patients',
    );
  });

  it('keeps name, a bounded message and the stack of other errors, and is idempotent', () => {
    const err = new RangeError('x'.repeat(1000));
    const summary = errorSummary(err);
    expect(summary.type).toBe('RangeError');
    expect((summary.message as string).length).toBe(300);
    expect(errorSummary(summary)).toBe(summary);
    expect(errorSummary('thrown string')).toEqual({ type: 'string' });
  });
});

describe('isCalendarDay', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2024-13-45', false],
    ['2024-04-31', false],
    ['0001-01-01', true],
    ['9999-12-31', true],
    ['2024-1-01', false],
    [20240101, false],
  ])('%p → %p', (value, ok) => {
    expect(isCalendarDay(value)).toBe(ok);
  });
});

describe('errorSummary of what the worker meets', () => {
  it("keeps an Elasticsearch ResponseError's status and types, not its reason (which quotes the document)", () => {
    const reason =
      "failed to parse field [name] in document with id 'p1'. Preview of field's value: 'Asha Verma'";
    const err = Object.assign(
      new Error(`document_parsing_exception\n\tRoot causes:\n\t\tdocument_parsing_exception: ${reason}`),
      {
        name: 'ResponseError',
        meta: {
          statusCode: 400,
          body: {
            error: {
              type: 'document_parsing_exception',
              reason,
              root_cause: [{ type: 'document_parsing_exception', reason }],
            },
          },
        },
      },
    );
    expect(errorSummary(err)).toEqual({
      type: 'ResponseError',
      statusCode: 400,
      esError: 'document_parsing_exception',
      rootCauses: ['document_parsing_exception'],
    });
    expect(describeError(err)).toBe('ResponseError status 400 document_parsing_exception');
  });

  it('drops the quoted input from a JSON SyntaxError', () => {
    const err = new SyntaxError('Unexpected token \'}\', "{"name":"Asha Verma",}" is not valid JSON');
    expect(describeError(err)).toBe('SyntaxError: Unexpected token … is not valid JSON');
    expect(describeError(err)).not.toContain('Asha');
  });
});
