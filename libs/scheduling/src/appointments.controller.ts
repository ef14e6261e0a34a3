import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ALL_ROLES, Roles } from '@hims/auth';
import { etagOf, parseIfMatch, UuidParam } from '@hims/errors';
import { Idempotent } from '@hims/idempotency';
import {
  AppointmentListResponse,
  AppointmentResponse,
  BookAppointmentDto,
  CancelAppointmentDto,
  CheckInResponse,
  ListAppointmentsQuery,
  RescheduleAppointmentDto,
  SlotListResponse,
  SlotSearchQuery,
} from './dto/appointment.dto';
import { appointmentResource, slotBundle } from './fhir';
import { AppointmentsService } from './appointments.service';
import { appointmentView, slotView } from './views';

@ApiTags('scheduling')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Tenant-ID', required: true })
@Controller('api/v1')
export class AppointmentsController {
  constructor(private readonly appointments: AppointmentsService) {}

  @Get('slots')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Free slots by doctor and/or department over a range of clinic-local days' })
  @ApiOkResponse({ type: SlotListResponse })
  async slots(@Query() q: SlotSearchQuery): Promise<SlotListResponse> {
    const rows = await this.appointments.searchSlots({ ...q, doctorId: q.doctorId?.toLowerCase() });
    return { timeZone: this.appointments.timeZone, items: rows.map(slotView) };
  }

  @Get('slots/fhir')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'The same free slots as a FHIR R4 searchset Bundle of Slot' })
  @ApiResponse({ status: 200, description: 'application/fhir+json' })
  async slotsFhir(@Query() q: SlotSearchQuery, @Res({ passthrough: true }) res: Response) {
    const rows = await this.appointments.searchSlots({ ...q, doctorId: q.doctorId?.toLowerCase() });
    res.type('application/fhir+json');
    return slotBundle(rows);
  }

  @Get('appointments')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "A clinic-local day's appointments (optionally one doctor's, one status)" })
  @ApiOkResponse({ type: AppointmentListResponse })
  async list(@Query() q: ListAppointmentsQuery): Promise<AppointmentListResponse> {
    return { items: (await this.appointments.listDay(q.day, q.doctorId?.toLowerCase(), q.status)).map(appointmentView) };
  }

  @Post('appointments')
  @Idempotent()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Book a place in a slot (receptionist); 409 when the slot is full' })
  @ApiBody({ type: BookAppointmentDto })
  @ApiCreatedResponse({ type: AppointmentResponse })
  async book(@Body() dto: BookAppointmentDto, @Res({ passthrough: true }) res: Response): Promise<AppointmentResponse> {
    const row = await this.appointments.book(dto.patientId.toLowerCase(), dto.doctorId.toLowerCase(), new Date(dto.slotStart));
    res.setHeader('Location', `/api/v1/appointments/${row.id}`);
    res.setHeader('ETag', etagOf(row.version));
    return appointmentView(row);
  }

  @Get('appointments/:id')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Read an appointment (audited)' })
  @ApiOkResponse({ type: AppointmentResponse })
  async get(@Param('id', new UuidParam('No appointment with this id')) id: string, @Res({ passthrough: true }) res: Response): Promise<AppointmentResponse> {
    const row = await this.appointments.get(id.toLowerCase());
    res.setHeader('ETag', etagOf(row.version));
    return appointmentView(row);
  }

  @Get('appointments/:id/fhir')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'The appointment as a FHIR R4 Appointment (audited)' })
  @ApiResponse({ status: 200, description: 'application/fhir+json' })
  async fhir(@Param('id', new UuidParam('No appointment with this id')) id: string, @Res({ passthrough: true }) res: Response) {
    const row = await this.appointments.get(id.toLowerCase());
    res.type('application/fhir+json');
    return appointmentResource(row);
  }

  @Patch('appointments/:id')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Reschedule to another slot (If-Match required; receptionist)' })
  @ApiHeader({ name: 'If-Match', required: true })
  @ApiBody({ type: RescheduleAppointmentDto })
  @ApiOkResponse({ type: AppointmentResponse })
  async reschedule(
    @Param('id', new UuidParam('No appointment with this id')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: RescheduleAppointmentDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AppointmentResponse> {
    const expected = parseIfMatch(ifMatch, true);
    const row = await this.appointments.reschedule(id.toLowerCase(), expected, dto.doctorId, new Date(dto.slotStart));
    res.setHeader('ETag', etagOf(row.version));
    return appointmentView(row);
  }

  @Post('appointments/:id/cancel')
  @HttpCode(200)
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Cancel with a reason; the place is free again (receptionist)' })
  @ApiBody({ type: CancelAppointmentDto })
  @ApiOkResponse({ type: AppointmentResponse })
  async cancel(
    @Param('id', new UuidParam('No appointment with this id')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: CancelAppointmentDto,
  ): Promise<AppointmentResponse> {
    return appointmentView(await this.appointments.cancel(id.toLowerCase(), dto.reason, parseIfMatch(ifMatch, false)));
  }

  @Post('appointments/:id/no-show')
  @HttpCode(200)
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "Mark a no-show, once the clinic's grace time after the slot's start has passed (receptionist)" })
  @ApiOkResponse({ type: AppointmentResponse })
  async noShow(@Param('id', new UuidParam('No appointment with this id')) id: string, @Headers('if-match') ifMatch: string | undefined): Promise<AppointmentResponse> {
    return appointmentView(await this.appointments.noShow(id.toLowerCase(), parseIfMatch(ifMatch, false)));
  }

  @Post('appointments/:id/check-in')
  @HttpCode(200)
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "Check in on the day: the appointment becomes a visit (arrived) and gets a token in the doctor's queue" })
  @ApiOkResponse({ type: CheckInResponse })
  async checkIn(@Param('id', new UuidParam('No appointment with this id')) id: string, @Headers('if-match') ifMatch: string | undefined): Promise<CheckInResponse> {
    const r = await this.appointments.checkIn(id.toLowerCase(), parseIfMatch(ifMatch, false));
    return { appointment: appointmentView(r.appointment), queueEntryId: r.entryId, token: r.token };
  }
}
