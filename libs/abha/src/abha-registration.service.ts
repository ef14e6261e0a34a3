import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AuditRecorder } from '@hims/audit';
import { flattenValidationErrors, ProblemException } from '@hims/errors';
import { AbhaNumber, CreatePatientDto, PatientsService, type PatientRow } from '@hims/patients';
import { AbhaClient } from './abha.client';
import { AbhaFlowSupport } from './abha-flow-support';
import type { FlowRow, VerificationRow } from './abha-flows.repository';
import type { VerifiedProfile } from './abha-profile';
import { abhaStep, requireState } from './abha-steps';

/** What the verified profile says, in the shape of a registration (the console shows it before saving). */
export function registrationFrom(profile: VerifiedProfile): Omit<CreatePatientDto, 'allowDuplicate'> {
  return {
    name: { given: profile.given, family: profile.family },
    gender: profile.gender,
    birthDate: profile.birthDate,
    phones: profile.mobile ? [profile.mobile] : null,
    address: profile.address
      ? {
          lines: profile.address.lines,
          district: profile.address.district,
          state: profile.address.state,
          postalCode: profile.address.postalCode,
          country: 'IN',
        }
      : null,
    abhaNumber: AbhaNumber.parse(profile.abhaNumber)!.formatted(),
    abhaAddress: profile.abhaAddress,
  };
}

/**
 * The verified profile becomes a patient: a new registration (duplicates checked as for any
 * registration) or the identity of an existing one (If-Match), and the verification recorded.
 * The profile comes from the server-held flow, never from the client, so "verified" means
 * the ABHA service said it.
 */
@Injectable()
export class AbhaRegistrationService {
  constructor(
    private readonly client: AbhaClient,
    private readonly support: AbhaFlowSupport,
    private readonly patients: PatientsService,
    private readonly audit: AuditRecorder,
  ) {}

  async flow(id: string): Promise<FlowRow> {
    return this.support.live(id);
  }

  async register(
    id: string,
    allowDuplicate: boolean,
  ): Promise<{ patient: PatientRow; verification: VerificationRow }> {
    const flow = await this.support.live(id);
    requireState(flow, 'verified');
    const dto = await this.checked({ ...registrationFrom(flow.profile!), allowDuplicate });
    const patient = await this.patients.register(dto);
    return this.complete(flow, patient);
  }

  async updateExisting(
    id: string,
    patientId: string,
    expectedVersion: number,
  ): Promise<{ patient: PatientRow; verification: VerificationRow }> {
    const flow = await this.support.live(id);
    requireState(flow, 'verified');
    const current = await this.patients.get(patientId);
    const fromAbha = registrationFrom(flow.profile!);
    // The ABHA mobile joins the patient's phones (first), without dropping the others.
    const phones = fromAbha.phones?.length
      ? [...fromAbha.phones, ...(current.phones ?? []).filter((p) => !p.endsWith(fromAbha.phones![0]))].slice(
          0,
          3,
        )
      : undefined;
    await this.checked({ ...fromAbha, phones: phones ?? null });
    const patient = await this.patients.update(patientId, expectedVersion, {
      name: fromAbha.name,
      gender: fromAbha.gender,
      birthDate: fromAbha.birthDate,
      ...(phones ? { phones } : {}),
      ...(fromAbha.address ? { address: fromAbha.address } : {}),
      abhaNumber: fromAbha.abhaNumber,
      abhaAddress: fromAbha.abhaAddress,
    });
    return this.complete(flow, patient);
  }

  /** The verification of the patient's ABHA, and whether the identifiers still match it (an edit by hand unverifies). */
  async verificationOf(
    patientId: string,
  ): Promise<{ verification: VerificationRow; current: boolean } | undefined> {
    const patient = await this.patients.get(patientId); // 404 for an unknown or another clinic's patient; audited read
    const v = await this.support.flows.verificationOf(patientId);
    if (!v) return undefined;
    const current =
      patient.abha_number === v.abha_number && (patient.abha_address ?? null) === (v.abha_address ?? null);
    return { verification: v, current };
  }

  async card(id: string): Promise<Buffer> {
    const flow = await this.support.live(id);
    requireState(flow, 'verified', 'completed');
    if (flow.method === 'abha-address' || !flow.user_token) {
      throw new ProblemException(
        'abhaFlowState',
        'The ABHA card comes with an ABHA-number sign-in; verify by ABHA number, mobile or Aadhaar',
        {
          state: flow.state,
        },
      );
    }
    const card = await abhaStep(() =>
      this.client.get<Buffer>('/v3/profile/account/abha-card', {
        kind: 'user',
        binary: true,
        headers: { 'X-token': `Bearer ${flow.user_token}` },
      }),
    );
    await this.support.record(flow, 'abha.card_downloaded');
    return card;
  }

  private async complete(flow: FlowRow, patient: PatientRow) {
    const verification = await this.support.flows.recordVerification(patient.id, flow, flow.profile!);
    // The profile has done its work; the token stays until expiry for the card.
    const done = await this.support.flows.update(flow.id, {
      state: 'completed',
      patient_id: patient.id,
      profile: null,
    });
    await this.audit.record({
      action: 'abha.identity_applied',
      entityType: 'patient',
      entityId: patient.id,
      details: { source: 'abdm', flowId: flow.id, purpose: flow.purpose, method: flow.method },
    });
    await this.support.record(done, 'abha.completed', { patientId: patient.id });
    return { patient, verification };
  }

  /** The service's profile passes the registry's own rules, or the counter hears which field did not. */
  private async checked(
    values: Omit<CreatePatientDto, 'allowDuplicate'> & { allowDuplicate?: boolean },
  ): Promise<CreatePatientDto> {
    const dto = plainToInstance(CreatePatientDto, values);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      throw new ProblemException(
        'abhaRefused',
        'The ABHA profile does not fit the registration rules; register by hand',
        {
          errors: flattenValidationErrors(errors).map((e) => ({
            field: e.field,
            message: 'not usable as sent by ABHA',
          })),
        },
      );
    }
    return dto;
  }
}
