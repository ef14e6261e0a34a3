import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ALL_ROLES, Roles } from '@hims/auth';
import {
  CloseShiftDto,
  CurrentShiftResponse,
  DayReportQuery,
  DayReportResponse,
  OpenShiftDto,
  ShiftResponse,
} from './dto/shift.dto';
import { ShiftIdPipe, tenantHeader } from './ids';
import { dayReportCsv, ShiftsService } from './shifts.service';

/** Cashier shifts and the day's collections (billing staff). */
@ApiTags('billing')
@ApiBearerAuth()
@tenantHeader
@Controller('api/v1/billing')
export class ShiftsController {
  constructor(private readonly shifts: ShiftsService) {}

  @Post('shifts')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Open your cashier shift with the float in the drawer (one open shift per user)' })
  @ApiCreatedResponse({ type: ShiftResponse })
  @ApiConflictResponse({ description: 'You already have an open shift' })
  open(@Body() dto: OpenShiftDto): Promise<ShiftResponse> {
    return this.shifts.open(dto.openingFloatPaise);
  }

  @Get('shifts/current')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Your open shift, with the cash moved so far (null when none is open)' })
  @ApiOkResponse({ type: CurrentShiftResponse })
  async current(): Promise<CurrentShiftResponse> {
    return { shift: await this.shifts.current() };
  }

  @Post('shifts/:id/close')
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary: 'Close a shift with the cash counted; the difference from the expected cash is recorded',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: ShiftResponse })
  close(@Param('id', ShiftIdPipe) id: string, @Body() dto: CloseShiftDto): Promise<ShiftResponse> {
    return this.shifts.close(id, dto.countedCashPaise, dto.note ?? null);
  }

  @Get('reports/day')
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary: "The day's collections by user and mode, invoices billed and shifts (clinic's local day)",
  })
  @ApiOkResponse({ type: DayReportResponse })
  dayReport(@Query() query: DayReportQuery): Promise<DayReportResponse> {
    return this.shifts.dayReport(query.day);
  }

  @Get('reports/day.csv')
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary: "The day's collections as CSV (one row per user and mode, totals per mode and overall)",
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv' })
  async dayReportCsv(@Query() query: DayReportQuery, @Res() res: Response): Promise<void> {
    const report = await this.shifts.dayReport(query.day);
    res
      .type('text/csv')
      .setHeader('Content-Disposition', `attachment; filename="collections-${report.day}.csv"`);
    res.send(dayReportCsv(report));
  }
}
