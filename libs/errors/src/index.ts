export * from './problem';
export { ProblemDetailsFilter, toProblemException } from './problem.filter';
export { createValidationPipe, flattenValidationErrors, PageLimit, MAX_PAGE_LIMIT } from './validation';
