export * from './problem';
export { ProblemDetailsFilter, toProblemException } from './problem.filter';
export {
  createValidationPipe,
  flattenValidationErrors,
  PageLimit,
  MAX_PAGE_LIMIT,
  IsCalendarDay,
  isCalendarDay,
} from './validation';
export { validateBeforeHandler } from './validate-before';
export { errorSummary, describeError, isDatabaseError } from './error-summary';
export { answerClientError, jsonDepth, limitJsonDepth, MAX_JSON_DEPTH } from './http-guards';
export { completeProblemResponses, PROBLEM_MEDIA_TYPE, type OpenApiDocumentLike } from './openapi-problems';
export { decodeCursor, encodeCursor } from './cursor';
export { isUuid, UuidParam } from './uuid';
/** @deprecated the same as isUuid; kept while other branches still import it. */
export { isUuid as isUuidText } from './uuid';
export { etagOf, parseIfMatch } from './etag';
