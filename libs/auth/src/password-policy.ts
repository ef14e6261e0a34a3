import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { COMMON_PASSWORDS } from './common-passwords';

/** Password rules for every password a person chooses (staff create, invitation accept, reset). */
export const PASSWORD_MIN_LENGTH = 12;
// ASVS 2.1.2: at least 64 allowed, more than 128 refused.
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_TOO_SHORT = `password must be at least ${PASSWORD_MIN_LENGTH} characters long`;
export const PASSWORD_IS_EMAIL = 'password must not be the email address';
export const PASSWORD_TOO_COMMON = 'password is on the list of commonly used passwords; choose another';

/** The password differs from the object's email property (case and surrounding spaces ignored). */
export function IsNotEmail(emailProperty: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isNotEmail',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [emailProperty],
      options: { message: PASSWORD_IS_EMAIL, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const email = (args.object as Record<string, unknown>)[args.constraints[0] as string];
          if (typeof value !== 'string' || typeof email !== 'string') return true;
          return value.trim().toLowerCase() !== email.trim().toLowerCase();
        },
      },
    });
}

/** The password is not on the bundled common-password list (case ignored). */
export function IsNotCommonPassword(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isNotCommonPassword',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: PASSWORD_TOO_COMMON, ...options },
      validator: {
        validate(value: unknown) {
          return typeof value !== 'string' || !COMMON_PASSWORDS.has(value.toLowerCase());
        },
      },
    });
}

/** The same rules outside a DTO (the CLI's operator password): each broken rule's message. */
export function passwordProblems(password: string, email: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(PASSWORD_TOO_SHORT);
  if (password.length > PASSWORD_MAX_LENGTH)
    problems.push(`password must be at most ${PASSWORD_MAX_LENGTH} characters long`);
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) problems.push(PASSWORD_IS_EMAIL);
  if (COMMON_PASSWORDS.has(password.toLowerCase())) problems.push(PASSWORD_TOO_COMMON);
  return problems;
}
