export * from './problem';
export { ProblemDetailsFilter, toProblemException } from './problem.filter';
export { createValidationPipe, flattenValidationErrors } from './validation';
