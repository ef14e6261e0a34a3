import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ALL_ROLES, Roles } from '@hims/auth';
import { etagOf, parseIfMatch, ProblemException, UuidParam } from '@hims/errors';
import { Idempotent } from '@hims/idempotency';
import { clinicTimeZone, TenantScope } from '@hims/tenancy';
import {
  CallNextDto,
  CreateDisplayDto,
  DisplayCreatedResponse,
  QueueBoardResponse,
  QueueDayQuery,
  QueueEntryResponse,
  QueueLaneResponse,
  QueueSettingsDto,
  QueueSettingsResponse,
  QueueStatusDto,
  ReminderTallyResponse,
  ReorderDto,
  SendRemindersDto,
  WaitAnalyticsQuery,
  WaitAnalyticsResponse,
  WalkInDto,
} from './dto/queue.dto';
import { DisplayService } from './display.service';
import { QueueService } from './queue.service';
import { RemindersService } from './reminders.service';
import { queueEntryView } from './queue.view';
import { WaitAnalyticsRepository } from './wait-analytics.repository';

@ApiTags('queue')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Tenant-ID', required: true })
@Controller('api/v1/queue')
export class QueueController {
  constructor(
    private readonly queue: QueueService,
    private readonly displays: DisplayService,
    private readonly analytics: WaitAnalyticsRepository,
    private readonly scope: TenantScope,
    private readonly reminders: RemindersService,
  ) {}

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "Reception's board: every lane of the clinic's day (audited)" })
  @ApiOkResponse({ type: QueueBoardResponse })
  async board(@Query() q: QueueDayQuery): Promise<QueueBoardResponse> {
    const day = q.day ?? (await this.queue.today());
    return { day, items: (await this.queue.board(day)).map(queueEntryView) };
  }

  @Get('doctors/:doctorId')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "A doctor's queue with estimated waits from the doctor's pace (audited)" })
  @ApiOkResponse({ type: QueueLaneResponse })
  async lane(@Param('doctorId', new UuidParam('No doctor with this id')) doctorId: string, @Query() q: QueueDayQuery): Promise<QueueLaneResponse> {
    const v = await this.queue.doctorQueue(doctorId.toLowerCase(), q.day);
    return { doctorId: v.doctorId!, day: v.day, paceMinutes: v.paceMinutes, items: v.entries.map(queueEntryView) };
  }

  @Post('walk-ins')
  @Idempotent()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'A walk-in (receptionist): a visit, checked in, and the next token of the doctor' })
  @ApiBody({ type: WalkInDto })
  @ApiCreatedResponse({ type: QueueEntryResponse })
  async walkIn(@Body() dto: WalkInDto): Promise<QueueEntryResponse> {
    return queueEntryView(await this.queue.walkIn(dto.doctorId.toLowerCase(), dto.patientId.toLowerCase(), dto.department));
  }

  @Post('call-next')
  @HttpCode(200)
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "Call the first waiting patient (the doctor's own queue, or the desk); 409 when nobody waits" })
  @ApiBody({ type: CallNextDto })
  @ApiOkResponse({ type: QueueEntryResponse })
  async callNext(@Body() dto: CallNextDto): Promise<QueueEntryResponse> {
    return queueEntryView(await this.queue.callNext(dto.doctorId.toLowerCase()));
  }

  @Post('entries/:id/status')
  @HttpCode(200)
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Move an entry: called, in-consultation, done, skipped, recalled (role rules in docs/queue.md)' })
  @ApiBody({ type: QueueStatusDto })
  @ApiOkResponse({ type: QueueEntryResponse })
  async status(@Param('id', new UuidParam('No queue entry with this id')) id: string, @Body() dto: QueueStatusDto): Promise<QueueEntryResponse> {
    return queueEntryView(await this.queue.move(id.toLowerCase(), dto.status));
  }

  @Post('entries/:id/reorder')
  @HttpCode(200)
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Move a waiting entry to another place, with a reason (receptionist, nurse)' })
  @ApiBody({ type: ReorderDto })
  @ApiOkResponse({ type: QueueEntryResponse })
  async reorder(@Param('id', new UuidParam('No queue entry with this id')) id: string, @Body() dto: ReorderDto): Promise<QueueEntryResponse> {
    return queueEntryView(await this.queue.reorder(id.toLowerCase(), dto.index, dto.reason));
  }

  @Post('displays')
  @Idempotent()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Set up a waiting-room display (tenant admin, receptionist): its key is shown once' })
  @ApiBody({ type: CreateDisplayDto })
  @ApiCreatedResponse({ type: DisplayCreatedResponse })
  create(@Body() dto: CreateDisplayDto): Promise<DisplayCreatedResponse> {
    return this.displays.create(dto.label);
  }

  @Delete('displays/:id')
  @HttpCode(204)
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Revoke a display key' })
  async revoke(@Param('id', new UuidParam('No display with this id')) id: string): Promise<void> {
    await this.displays.revoke(id.toLowerCase());
  }

  @Get('settings')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "The clinic's queue settings (ETag; version 0 = defaults)" })
  @ApiOkResponse({ type: QueueSettingsResponse })
  async settings(@Res({ passthrough: true }) res: Response): Promise<QueueSettingsResponse> {
    const s = await this.displays.settings();
    res.setHeader('ETag', etagOf(s.version));
    return settingsView(s);
  }

  @Put('settings')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Change the queue settings (tenant admin; If-Match required, "0" before the first change)' })
  @ApiHeader({ name: 'If-Match', required: true })
  @ApiBody({ type: QueueSettingsDto })
  @ApiOkResponse({ type: QueueSettingsResponse })
  async putSettings(
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: QueueSettingsDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<QueueSettingsResponse> {
    const s = await this.displays.saveSettings(dto, parseIfMatch(ifMatch, true));
    res.setHeader('ETag', etagOf(s.version));
    return settingsView(s);
  }

  @Post('reminders/appointments')
  @HttpCode(200)
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary:
      'Text a reminder to every booked appointment starting within `hours` not reminded yet (tenant admin, receptionist; a scheduler calls it); once per appointment',
  })
  @ApiBody({ type: SendRemindersDto })
  @ApiOkResponse({ type: ReminderTallyResponse })
  sendReminders(@Body() dto: SendRemindersDto): Promise<ReminderTallyResponse> {
    return this.reminders.remindAppointments(dto.hours);
  }

  @Put('sms-opt-outs/:patientId')
  @HttpCode(204)
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'The patient receives no reminders (tenant admin, receptionist)' })
  async optOut(@Param('patientId', new UuidParam('No patient with this id')) patientId: string): Promise<void> {
    await this.reminders.setOptOut(patientId, true);
  }

  @Delete('sms-opt-outs/:patientId')
  @HttpCode(204)
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'The patient receives reminders again' })
  async optIn(@Param('patientId', new UuidParam('No patient with this id')) patientId: string): Promise<void> {
    await this.reminders.setOptOut(patientId, false);
  }

  @Get('analytics/waits')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Median and 90th-percentile wait (join → call) and no-shows per doctor per clinic day' })
  @ApiOkResponse({ type: WaitAnalyticsResponse })
  async waits(@Query() q: WaitAnalyticsQuery): Promise<WaitAnalyticsResponse> {
    if (q.from > q.to || Date.parse(q.to) - Date.parse(q.from) > 92 * 86_400_000) {
      throw new ProblemException('validation', '1 field(s) failed validation', {
        errors: [{ field: 'to', message: 'to must be on or after from, at most 92 days later' }],
      });
    }
    const rows = await this.analytics.figures(q.from, q.to, clinicTimeZone(this.scope.state));
    return {
      items: rows.map((r) => ({
        doctorId: r.doctor_id,
        doctorName: r.doctor_name,
        day: r.day,
        seen: r.seen,
        medianWaitMinutes: r.median,
        p90WaitMinutes: r.p90,
        noShows: r.no_shows,
      })),
    };
  }
}

const settingsView = (s: Awaited<ReturnType<DisplayService['settings']>>): QueueSettingsResponse => ({
  displayInitials: s.display_initials,
  noShowGraceMinutes: s.no_show_grace_minutes,
  turnNearAhead: s.turn_near_ahead,
  version: s.version,
});
