import { Injectable, PipeTransform } from '@nestjs/common';
import { ProblemException } from './problem';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID in either case (ids in paths, headers, cursors). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * The one pipe for an id in a path: a malformed id names nothing, so it gets
 * the same 404 as an unknown id or another tenant's (no 400 that would tell
 * them apart). Answers the id lower-cased.
 *
 *   @Param('id', new UuidParam('No patient with this id')) id: string
 */
@Injectable()
export class UuidParam implements PipeTransform<string, string> {
  constructor(private readonly notFoundDetail: string) {}

  transform(value: string): string {
    if (!isUuid(value)) throw new ProblemException('notFound', this.notFoundDetail);
    return value.toLowerCase();
  }
}
