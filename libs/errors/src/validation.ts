import { applyDecorators, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateBy, ValidationOptions } from 'class-validator';
import { FieldError, ProblemException } from './problem';

/** Flatten class-validator's nested errors into `field.path: message` pairs. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      out.push({ field, message: message.replace(/^property /, '') });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/**
 * Strict validation: unknown fields are rejected (not silently dropped),
 * payloads are converted to DTO instances, and errors are field-level.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fieldErrors = flattenValidationErrors(errors);
      return new ProblemException('validation', `${fieldErrors.length} field(s) failed validation`, {
        errors: fieldErrors,
      });
    },
  });
}

/** `limit` of a paginated list: an optional integer 1–100 from the query string. */
export function PageLimit(defaultValue: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: defaultValue }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(MAX_PAGE_LIMIT),
  );
}

export const MAX_PAGE_LIMIT = 100;

/** A real calendar day written YYYY-MM-DD (2024-02-29 yes, 2023-02-29 and 2024-13-45 no). */
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Validates a YYYY-MM-DD day that exists, so no impossible date ever reaches a Date or the database. */
export function IsCalendarDay(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDay',
      validator: {
        validate: (value: unknown) => isCalendarDay(value),
        defaultMessage: (args) => `${args?.property ?? 'value'} must be a real day written YYYY-MM-DD`,
      },
    },
    options,
  );
}
