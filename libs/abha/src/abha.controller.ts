import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res, StreamableFile } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '@hims/auth';
import { etagOf, parseIfMatch, ProblemException, UuidParam } from '@hims/errors';
import { TenantRoute } from '@hims/tenancy';
import { Idempotent } from '@hims/idempotency';
import { toPatientView } from '@hims/patients';
import { AbhaCounterService } from './abha-counter.service';
import { AbhaEnrolmentService } from './abha-enrolment.service';
import { AbhaLoginService } from './abha-login.service';
import { AbhaRegistrationService } from './abha-registration.service';
import { toFlowView, toVerificationView } from './abha.view';
import {
  AbhaFlowResponse,
  AbhaVerificationResponse,
  ChooseAccountDto,
  ChooseAddressDto,
  RegisterFromAbhaDto,
  StartEnrolmentDto,
  StartVerificationDto,
  SubmitOtpDto,
} from './dto/abha.dto';

const FRONT_DESK = ['receptionist', 'tenant_admin'] as const;
const flowId = new UuidParam('No ABHA flow with this id');
/** ABHA at the registration counter (docs/abha.md). Rules in the services; this maps HTTP. */
@TenantRoute('abha')
@Controller('api/v1/abha')
export class AbhaController {
  constructor(
    private readonly enrolment: AbhaEnrolmentService,
    private readonly login: AbhaLoginService,
    private readonly counter: AbhaCounterService,
    private readonly registration: AbhaRegistrationService,
  ) {}

  @Post('enrolments')
  @Idempotent()
  @Roles(...FRONT_DESK)
  @ApiOperation({ summary: 'Create an ABHA: record consent, check the Aadhaar number, send the Aadhaar OTP' })
  @ApiCreatedResponse({ type: AbhaFlowResponse })
  async enrol(@Body() dto: StartEnrolmentDto): Promise<AbhaFlowResponse> {
    return toFlowView(await this.enrolment.start(dto.aadhaar, dto.consent.version));
  }

  @Post('verifications')
  @Idempotent()
  @Roles(...FRONT_DESK)
  @ApiOperation({
    summary: 'Prove an existing ABHA by ABHA number, mobile, Aadhaar or ABHA address: send the OTP',
  })
  @ApiCreatedResponse({ type: AbhaFlowResponse })
  async verify(@Body() dto: StartVerificationDto): Promise<AbhaFlowResponse> {
    return toFlowView(await this.login.start(dto.method, dto.value));
  }

  @Get('flows/:id')
  @Roles(...FRONT_DESK)
  @ApiOperation({ summary: 'Where the flow stands; once verified, the registration its profile gives' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AbhaFlowResponse })
  async flow(@Param('id', flowId) id: string): Promise<AbhaFlowResponse> {
    return toFlowView(await this.registration.flow(id));
  }

  @Post('flows/:id/otp')
  @HttpCode(200)
  @Roles(...FRONT_DESK)
  @ApiOperation({
    summary:
      'The OTP the patient received (Aadhaar OTP with the mobile for an enrolment, mobile OTP, or login OTP)',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AbhaFlowResponse })
  async otp(@Param('id', flowId) id: string, @Body() dto: SubmitOtpDto): Promise<AbhaFlowResponse> {
    return toFlowView(await this.counter.submitOtp(id, dto.otp, dto.mobile));
  }

  @Post('flows/:id/account')
  @HttpCode(200)
  @Roles(...FRONT_DESK)
  @ApiOperation({ summary: 'Choose which of the mobile’s ABHAs is this patient’s' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AbhaFlowResponse })
  async account(@Param('id', flowId) id: string, @Body() dto: ChooseAccountDto): Promise<AbhaFlowResponse> {
    return toFlowView(await this.login.chooseAccount(id, dto.abhaNumber));
  }

  @Get('flows/:id/address-suggestions')
  @Roles(...FRONT_DESK)
  @ApiOperation({ summary: 'ABHA addresses the service suggests for a new enrolment' })
  @ApiParam({ name: 'id', format: 'uuid' })
  async suggestions(@Param('id', flowId) id: string): Promise<{ suggestions: string[] }> {
    return { suggestions: await this.enrolment.addressSuggestions(id) };
  }

  @Post('flows/:id/address')
  @HttpCode(200)
  @Roles(...FRONT_DESK)
  @ApiOperation({ summary: 'Set the new ABHA’s address' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AbhaFlowResponse })
  async address(@Param('id', flowId) id: string, @Body() dto: ChooseAddressDto): Promise<AbhaFlowResponse> {
    return toFlowView(await this.enrolment.chooseAddress(id, dto.abhaAddress));
  }

  @Post('flows/:id/patient')
  @Idempotent()
  @Roles(...FRONT_DESK)
  @ApiOperation({
    summary: 'Register a new patient from the verified profile (duplicates checked), ABHA marked verified',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  async register(
    @Param('id', flowId) id: string,
    @Body() dto: RegisterFromAbhaDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { patient, verification } = await this.registration.register(id, dto.allowDuplicate === true);
    res.status(201);
    res.setHeader('Location', `/api/v1/patients/${patient.id}`);
    res.setHeader('ETag', etagOf(patient.version));
    return { patient: toPatientView(patient), verification: toVerificationView(verification, true) };
  }

  @Post('flows/:id/patients/:patientId')
  @HttpCode(200)
  @Roles(...FRONT_DESK)
  @ApiOperation({
    summary:
      'Update an existing patient’s identity from the verified profile (If-Match), ABHA marked verified',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'patientId', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag of the patient version being changed' })
  async update(
    @Param('id', flowId) id: string,
    @Param('patientId', new UuidParam('No patient with this id')) patientId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { patient, verification } = await this.registration.updateExisting(
      id,
      patientId,
      parseIfMatch(ifMatch),
    );
    res.setHeader('ETag', etagOf(patient.version));
    return { patient: toPatientView(patient), verification: toVerificationView(verification, true) };
  }

  @Get('flows/:id/card')
  @Roles(...FRONT_DESK)
  @ApiOperation({ summary: 'The patient’s ABHA card (PNG), from the ABHA service' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('image/png')
  async card(
    @Param('id', flowId) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const png = await this.registration.card(id);
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(png, { type: 'image/png', disposition: 'inline; filename="abha-card.png"' });
  }

  @Get('patients/:patientId/verification')
  @Roles('receptionist', 'tenant_admin', 'doctor', 'nurse')
  @ApiOperation({
    summary:
      'Whether the patient’s ABHA was verified with the ABHA service, when, and whether it still matches',
  })
  @ApiParam({ name: 'patientId', format: 'uuid' })
  @ApiOkResponse({ type: AbhaVerificationResponse })
  async verification(
    @Param('patientId', new UuidParam('No patient with this id')) patientId: string,
  ): Promise<AbhaVerificationResponse> {
    const found = await this.registration.verificationOf(patientId);
    if (!found) throw new ProblemException('notFound', 'This patient’s ABHA has not been verified');
    return toVerificationView(found.verification, found.current);
  }
}
