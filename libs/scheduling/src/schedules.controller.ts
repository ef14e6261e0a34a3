import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Put, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ALL_ROLES, Roles } from '@hims/auth';
import { etagOf, parseIfMatch, UuidParam } from '@hims/errors';
import { Idempotent } from '@hims/idempotency';
import {
  CreateScheduleExceptionDto,
  PutScheduleDto,
  ScheduleExceptionListResponse,
  ScheduleExceptionResponse,
  ScheduleExceptionsQuery,
  ScheduleListResponse,
  ScheduleResponse,
} from './dto/schedule.dto';
import { scheduleResource } from './fhir';
import { SchedulesService } from './schedules.service';
import { exceptionView, scheduleView } from './views';

@ApiTags('scheduling')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Tenant-ID', required: true })
@Controller('api/v1')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Get('schedules')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "Every doctor's weekly schedule (optionally of one department)" })
  @ApiQuery({ name: 'department', required: false })
  @ApiOkResponse({ type: ScheduleListResponse })
  async list(@Query('department') department?: string): Promise<ScheduleListResponse> {
    const rows = await this.schedules.list(department ? String(department).slice(0, 100) : undefined);
    return { items: rows.map((r) => scheduleView(r, this.schedules.timeZone)) };
  }

  @Get('schedules/:doctorId')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "A doctor's weekly schedule (ETag)" })
  @ApiOkResponse({ type: ScheduleResponse })
  async get(
    @Param('doctorId', new UuidParam('No schedule with this id')) doctorId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ScheduleResponse> {
    const row = await this.schedules.get(doctorId.toLowerCase());
    res.setHeader('ETag', etagOf(row.version));
    return scheduleView(row, this.schedules.timeZone);
  }

  @Get('schedules/:doctorId/fhir')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "The doctor's schedule as a FHIR R4 Schedule" })
  @ApiResponse({ status: 200, description: 'application/fhir+json: a Schedule' })
  async fhir(@Param('doctorId', new UuidParam('No schedule with this id')) doctorId: string, @Res({ passthrough: true }) res: Response) {
    const row = await this.schedules.get(doctorId.toLowerCase());
    res.type('application/fhir+json');
    return scheduleResource(row, this.schedules.timeZone);
  }

  @Put('schedules/:doctorId')
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary:
      "Create (no If-Match) or replace (If-Match) a doctor's weekly schedule, in the clinic's time zone (tenant admin, receptionist)",
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'Required to replace an existing schedule' })
  @ApiBody({ type: PutScheduleDto })
  @ApiOkResponse({ type: ScheduleResponse })
  async put(
    @Param('doctorId', new UuidParam('No doctor with this id')) doctorId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: PutScheduleDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ScheduleResponse> {
    const row = await this.schedules.put(doctorId.toLowerCase(), dto, parseIfMatch(ifMatch, false));
    res.setHeader('ETag', etagOf(row.version));
    return scheduleView(row, this.schedules.timeZone);
  }

  @Get('schedule-exceptions')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Leave days and clinic holidays in a range of days' })
  @ApiOkResponse({ type: ScheduleExceptionListResponse })
  async exceptions(@Query() q: ScheduleExceptionsQuery): Promise<ScheduleExceptionListResponse> {
    return { items: (await this.schedules.exceptions(q.from, q.to)).map(exceptionView) };
  }

  @Post('schedule-exceptions')
  @Idempotent()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "Record a doctor's leave or a clinic holiday (no slots that day)" })
  @ApiBody({ type: CreateScheduleExceptionDto })
  @ApiResponse({ status: 201, type: ScheduleExceptionResponse })
  async addException(@Body() dto: CreateScheduleExceptionDto): Promise<ScheduleExceptionResponse> {
    return exceptionView(await this.schedules.addException(dto));
  }

  @Delete('schedule-exceptions/:id')
  @HttpCode(204)
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Remove a leave day or holiday' })
  async removeException(@Param('id', new UuidParam('No schedule exception with this id')) id: string): Promise<void> {
    await this.schedules.removeException(id.toLowerCase());
  }
}
