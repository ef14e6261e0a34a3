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
export { decodeCursor, encodeCursor, isUuidText } from './cursor';
