import {
  registerDecorator,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';
import { Transform } from 'class-transformer';
import { AbhaAddress, cleanText, parseBirthDate } from '../normalise';

/** Trims, NFC-normalises and collapses whitespace of strings (and of strings in arrays). */
export const CleanText = () =>
  Transform(({ value }) => {
    if (typeof value === 'string') return cleanText(value);
    if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? cleanText(v) : v));
    return value;
  });

/** `YYYY-MM-DD` (a real date, not in the future) or `YYYY`. */
export function IsBirthDate(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isBirthDate',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && typeof parseBirthDate(value) !== 'string',
        defaultMessage: (args: ValidationArguments) => {
          const reason = typeof args.value === 'string' ? parseBirthDate(args.value) : 'must be a string';
          return `${args.property} ${typeof reason === 'string' ? reason : 'is invalid'}`;
        },
      },
    });
}

/** A year-only birth date is approximate by definition: `birthDateApproximate: false` contradicts it. */
export function ConsistentWithBirthDate(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'consistentWithBirthDate',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const birthDate = (args.object as { birthDate?: unknown }).birthDate;
          return !(value === false && typeof birthDate === 'string' && /^\d{4}$/.test(birthDate));
        },
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} cannot be false when birthDate gives only a year`,
      },
    });
}

/** ABHA address: `<local>@abdm` or `<local>@sbx`, local part 8–18 letters/digits, one `.` and one `_` at most, not at the ends. */
export function IsAbhaAddress(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isAbhaAddress',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && AbhaAddress.parse(value) !== undefined,
        defaultMessage: (args: ValidationArguments) => `${args.property} ${AbhaAddress.RULE}`,
      },
    });
}

/** A name object must carry something to call the patient by. */
export function HasNameContent(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'hasNameContent',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => {
          if (!value || typeof value !== 'object' || Array.isArray(value)) return true; // ValidateNested reports it
          const n = value as { given?: unknown; family?: unknown; text?: unknown };
          return (Array.isArray(n.given) && n.given.length > 0) || !!n.family || !!n.text;
        },
        defaultMessage: (args: ValidationArguments) => `${args.property} needs at least one of given, family or text`,
      },
    });
}
