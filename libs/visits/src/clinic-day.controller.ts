import { Controller, Get, Header, Param, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ALL_ROLES, Roles } from '@hims/auth';
import { UuidParam } from '@hims/errors';
import { ClinicDayService } from './clinic-day.service';
import { DayVisitListResponse, DayVisitsQuery, DoctorListResponse, PrintQuery } from './dto/clinic-day.dto';
import { toVisitView } from './visit.view';
import { VisitPrintService } from './visit-print.service';
import { TenantRoute } from '@hims/tenancy';

/** The doctors a visit can be booked with (every staff role; names of staff, not patients). */
@TenantRoute('visits')
@Controller('api/v1/doctors')
export class DoctorsController {
  constructor(private readonly day: ClinicDayService) {}

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary: "The clinic's doctors (users holding the doctor role; disabled ones marked inactive)",
  })
  @ApiOkResponse({ type: DoctorListResponse })
  async list(): Promise<DoctorListResponse> {
    const rows = await this.day.doctors();
    return { items: rows.map((r) => ({ id: r.id, displayName: r.display_name, active: r.active })) };
  }
}

/** The day's visits for the front desk, or one doctor's own list. */
@TenantRoute('visits')
@Controller('api/v1/visits')
export class DayVisitsController {
  constructor(private readonly day: ClinicDayService) {}

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary:
      'Visits scheduled in [from, to) (≤ 48 h), earliest first, with patient name and MRN (audited as one list read)',
  })
  @ApiOkResponse({ type: DayVisitListResponse })
  async list(@Query() q: DayVisitsQuery): Promise<DayVisitListResponse> {
    const rows = await this.day.day(q);
    return {
      items: rows.map((r) => ({
        ...toVisitView(r),
        patient: { id: r.patient_id, mrn: r.patient_mrn, name: r.patient_name },
        attendingDoctorName: r.doctor_name,
      })),
    };
  }
}

/** Paper: the patient's OPD card and a signed visit's prescription, as PDF (audited as `print`). */
@TenantRoute('visits')
@Controller('api/v1')
export class PrintController {
  constructor(private readonly print: VisitPrintService) {}

  @Get('patients/:patientId/opd-card.pdf')
  @Roles(...ALL_ROLES)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'The registration slip / OPD card: clinic, patient banner, MRN as a QR code (PDF, English or Hindi, A5 or A4)',
  })
  @ApiParam({ name: 'patientId', format: 'uuid' })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: 'application/pdf' })
  @ApiNotFoundResponse({ description: 'Unknown, malformed or another tenant’s patient' })
  async opdCard(
    @Param('patientId', new UuidParam('No patient with this id')) patientId: string,
    @Query() q: PrintQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const pdf = await this.print.opdCard(patientId, { lang: q.lang ?? 'en', size: q.size ?? 'A5' });
    res.setHeader('Content-Disposition', 'inline; filename="opd-card.pdf"');
    return new StreamableFile(pdf, { type: 'application/pdf' });
  }

  @Get('visits/:id/prescription.pdf')
  @Roles(...ALL_ROLES)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      "A signed visit's prescription: letterhead, doctor, diagnoses, medicines, advice, follow-up, signature line (PDF)",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: 'application/pdf' })
  @ApiConflictResponse({ description: 'The visit is not signed yet' })
  @ApiNotFoundResponse({ description: 'Unknown id, malformed id and another tenant’s id all give this 404' })
  async prescription(
    @Param('id', new UuidParam('No visit with this id')) id: string,
    @Query() q: PrintQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const pdf = await this.print.prescription(id, { lang: q.lang ?? 'en', size: q.size ?? 'A5' });
    res.setHeader('Content-Disposition', 'inline; filename="prescription.pdf"');
    return new StreamableFile(pdf, { type: 'application/pdf' });
  }
}
