import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

/** Trims and NFC-normalises strings (other values pass through for the validators to judge). */
export const Trim = () =>
  Transform(({ value }) => (typeof value === 'string' ? value.normalize('NFC').trim() : value));

/** Whether the text has a control character (tab and line breaks allowed when `multiline`). */
export function hasControlCharacter(value: string, multiline: boolean): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (multiline && (c === 9 || c === 10 || c === 13)) continue;
    if (c < 32 || c === 127) return true;
  }
  return false;
}

/** Free text without control characters (whose JSON escapes are long and whose display is unsafe). */
export function NoControlCharacters(multiline = false): PropertyDecorator {
  return ValidateBy({
    name: 'noControlCharacters',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !hasControlCharacter(value, multiline),
      defaultMessage: (args) =>
        `${args?.property ?? 'value'} must not contain control characters${multiline ? ' (tab and line breaks are fine)' : ''}`,
    },
  });
}
