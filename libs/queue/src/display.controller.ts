import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@hims/auth';
import { ProblemException } from '@hims/errors';
import { NoTenant, TenantScope } from '@hims/tenancy';
import { DisplayService, parseDisplayKey, WallSnapshot } from './display.service';
import { QueueNotifier } from './queue-notifier';

/** How often an idle stream sends a comment, so proxies keep it open and a dead client is noticed. */
const HEARTBEAT_MS = 15_000;

const unknownKey = () => new ProblemException('notFound', 'No waiting-room display with this key');

/**
 * The waiting-room display: no staff session, a display key instead (an EventSource cannot send
 * headers). The key names its clinic; every read runs in that clinic's tenant scope (RLS), so a
 * key shows its own clinic's tokens and nothing else.
 */
@ApiTags('queue')
@Public()
@NoTenant()
@Controller('api/v1/queue-display')
export class DisplayController {
  constructor(
    private readonly displays: DisplayService,
    private readonly scope: TenantScope,
    private readonly notifier: QueueNotifier,
  ) {}

  private read(key: string, requestId: string | null): Promise<WallSnapshot | undefined> {
    const parsed = parseDisplayKey(key);
    if (!parsed) return Promise.resolve(undefined);
    return this.scope.run({ tenantId: parsed.tenantId, requestId }, () => this.displays.snapshot(parsed.hash));
  }

  @Get()
  @ApiOperation({ summary: "Today's called tokens and queue heads for the waiting-room display (display key)" })
  @ApiQuery({ name: 'key', required: true })
  @ApiOkResponse({ description: 'The wall: per doctor, tokens being called, in consultation, next' })
  async snapshot(@Query('key') key: string, @Req() req: Request & { id?: string }): Promise<WallSnapshot> {
    const wall = await this.read(key, req.id ? String(req.id) : null);
    if (!wall) throw unknownKey();
    return wall;
  }

  @Get('stream')
  @ApiOperation({ summary: 'The same wall as server-sent events: a snapshot at once and after every queue change' })
  @ApiQuery({ name: 'key', required: true })
  @ApiResponse({ status: 200, description: 'text/event-stream of `event: wall` messages' })
  async stream(@Query('key') key: string, @Req() req: Request & { id?: string }, @Res() res: Response): Promise<void> {
    const requestId = req.id ? String(req.id) : null;
    const first = await this.read(key, requestId);
    if (!first) throw unknownKey();
    const tenantId = parseDisplayKey(key)!.tenantId;
    res.status(200).set({
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    let open = true;
    const sub: { off?: () => void } = {};
    let running = false;
    let again = false;
    const send = (wall: WallSnapshot) => res.write(`event: wall\ndata: ${JSON.stringify(wall)}\n\n`);
    const close = () => {
      if (!open) return;
      open = false;
      clearInterval(heartbeat);
      sub.off?.();
      res.end();
    };
    const refresh = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const wall = await this.read(key, requestId);
          if (!open) return;
          if (!wall) return close(); // revoked or clinic suspended meanwhile
          send(wall);
        } while (again && open);
      } catch {
        close();
      } finally {
        running = false;
      }
    };
    res.write('retry: 2000\n\n');
    send(first);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    req.on('close', close);
    sub.off = await this.notifier.subscribe(tenantId, () => void refresh(), close);
    if (!open) sub.off();
  }
}
