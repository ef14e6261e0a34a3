import { completeProblemResponses, OpenApiDocumentLike } from './openapi-problems';

const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

describe('completeProblemResponses', () => {
  const doc = () => ({
    paths: {
      '/secured/{id}': {
        parameters: [],
        get: {
          parameters: [{ name: 'id', in: 'path' }],
          security: [{ bearer: [] }],
          responses: { '200': { description: 'ok' }, '404': { description: 'urn:hims:problem:not-found' } },
        },
      },
      '/public': {
        post: { security: [{}], requestBody: {}, responses: { '201': { description: 'made' } } },
      },
      '/probe': { get: { security: [{}], responses: { '200': { description: 'up' } } } },
    },
  });

  it('adds 401 to operations that need a bearer token and 400 to those that take input', () => {
    const out = completeProblemResponses(doc());
    expect(Object.keys(out.paths['/secured/{id}'].get.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '404',
    ]);
    expect(Object.keys(out.paths['/public'].post.responses).sort()).toEqual(['201', '400']);
    expect(Object.keys(out.paths['/probe'].get.responses)).toEqual(['200']);
  });

  it('keeps what a controller documented and describes every error answer as problem+json', () => {
    const out = completeProblemResponses(doc());
    const secured = out.paths['/secured/{id}'].get.responses as Record<
      string,
      { description: string; content?: unknown }
    >;
    expect(secured['404']).toEqual({ description: 'urn:hims:problem:not-found', content: problemContent });
    expect(secured['401'].content).toEqual(problemContent);
    expect(secured['200']).toEqual({ description: 'ok' });
    expect((out as OpenApiDocumentLike).components?.schemas).toHaveProperty('Problem.required', [
      'type',
      'title',
      'status',
      'detail',
    ]);
  });
});
