import { ExecutionContext, PipeTransform, Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { Request } from 'express';

type ArgMetadata = { index: number; data?: string; pipes?: (PipeTransform | Type<PipeTransform>)[] };

const CHECKED: Partial<Record<RouteParamtypes, 'body' | 'query' | 'param'>> = {
  [RouteParamtypes.BODY]: 'body',
  [RouteParamtypes.QUERY]: 'query',
  [RouteParamtypes.PARAM]: 'param',
};

/**
 * Runs the route's validation for body, query and path parameters (the global pipe, then
 * each parameter's own pipes, in Nest's order) on the raw request, and throws what they
 * throw. The tenant boundary calls it before it opens the request's transaction, so a
 * 400 costs no database work; Nest's own pipes still run afterwards on the same values
 * (pure and cheap), so handlers see exactly what they always saw.
 */
export async function validateBeforeHandler(
  context: ExecutionContext,
  globalPipe: PipeTransform,
): Promise<void> {
  const controller = context.getClass();
  const handler = context.getHandler();
  const args: Record<string, ArgMetadata> =
    Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ?? {};
  const metatypes: unknown[] =
    Reflect.getMetadata('design:paramtypes', controller.prototype, handler.name) ?? [];
  const req = context.switchToHttp().getRequest<Request>();
  for (const [key, arg] of Object.entries(args)) {
    const type = CHECKED[Number(key.split(':')[0]) as RouteParamtypes];
    if (!type) continue;
    const source = type === 'body' ? req.body : type === 'query' ? req.query : req.params;
    let value = arg.data ? (source as Record<string, unknown> | undefined)?.[arg.data] : source;
    const meta = { type, metatype: metatypes[arg.index] as Type<unknown> | undefined, data: arg.data };
    for (const pipe of [globalPipe, ...(arg.pipes ?? [])]) {
      const instance = typeof pipe === 'function' ? new pipe() : pipe;
      value = await instance.transform(value, meta);
    }
  }
}
