import { Injectable, Logger } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { createValidationPipe, ProblemException } from '@hims/errors';
import { CreatePatientDto, normaliseAbhaAddress, normaliseAbhaNumber, PatientsService } from '@hims/patients';
import { QueueService } from '@hims/queue';
import { ABDM_ERRORS, GATEWAY_PATHS } from './gateway-paths';
import type { InboxRow } from './inbox.repository';
import { parseProfileShare, ProfileShareBody } from './notify-share-bodies';
import { NotifyShareRepository, ShareRow } from './notify-share.repository';
import { AbdmTransactions } from './transactions.service';

/** How long a queue token stays valid: a repeated scan within it gets the same token. */
export const SHARE_TOKEN_EXPIRY_SECONDS = 1800;

const GENDER = { M: 'male', F: 'female', O: 'other', D: 'other', T: 'other', U: 'unknown' } as const;

type Patient = ProfileShareBody['profile']['patient'];

/** The registration the shared profile asks for, in the patient registry's own shape. */
export function registrationFrom(p: Patient, minimal = false): Record<string, unknown> {
  const words = p.name.split(/\s+/).filter(Boolean);
  const name =
    words.length > 1
      ? { given: words.slice(0, -1), family: words[words.length - 1], text: p.name }
      : { text: p.name };
  const pad = (n: number) => String(n).padStart(2, '0');
  const full =
    p.dayOfBirth && p.monthOfBirth ? `${p.yearOfBirth}-${pad(p.monthOfBirth)}-${pad(p.dayOfBirth)}` : null;
  const dto: Record<string, unknown> = {
    name,
    gender: GENDER[p.gender],
    birthDate: full ?? String(p.yearOfBirth),
    abhaAddress: p.abhaAddress,
  };
  if (minimal) return dto;
  // The ABHA app may mask the number (987654XXXX); a masked one is left out, not guessed.
  if (p.phoneNumber && /^[+\d][\d\s-]{6,18}$/.test(p.phoneNumber)) dto.phones = [p.phoneNumber];
  if (p.abhaNumber) dto.abhaNumber = p.abhaNumber;
  const a = p.address;
  if (a && (a.line || a.district || a.state || a.pincode)) {
    dto.address = {
      ...(a.line ? { lines: [a.line] } : {}),
      ...(a.district ? { district: a.district } : {}),
      ...(a.state ? { state: a.state } : {}),
      ...(a.pincode ? { postalCode: a.pincode } : {}),
      country: 'IN',
    };
  }
  return dto;
}

/**
 * Scan-and-share: a patient scans the clinic's counter QR code in the ABHA app, the gateway
 * sends their verified profile (/api/v3/hip/patient/share), and the clinic answers
 * (patient-share/v3/on-share) with a queue token for that counter. The patient is matched on
 * the ABHA address or number; otherwise registered through the registry's own rules and
 * duplicate check. A possible duplicate is not registered and not guessed: the share is kept
 * for the desk to resolve ("review") and the patient still gets a token. A scan repeated while
 * the token is valid gets the same token and registers nobody.
 */
@Injectable()
export class ProfileShareService {
  private readonly log = new Logger('AbdmProfileShare');
  private readonly validation = createValidationPipe();

  constructor(
    private readonly repo: NotifyShareRepository,
    private readonly patients: PatientsService,
    private readonly transactions: AbdmTransactions,
    private readonly audit: AuditRecorder,
    private readonly queue: QueueService,
  ) {}

  async handle(row: InboxRow): Promise<void> {
    const body = parseProfileShare(row.body);
    const p = body.profile.patient;
    const counter = body.metaData.context;
    const abhaAddress = normaliseAbhaAddress(p.abhaAddress) ?? p.abhaAddress.toLowerCase();
    await this.repo.lockCounter(row.tenant_id, row.hip_id, counter);

    const live = await this.repo.liveShare(row.hip_id, counter, abhaAddress);
    if (live) {
      await this.audit.record({
        action: 'abdm_profile_share_repeat',
        entityType: 'abdm_request',
        entityId: row.request_id,
        details: { firstShare: live.request_id, tokenNumber: live.token_number, patient: live.patient_id },
      });
      await this.answer(row, body, abhaAddress, live.token_number);
      return;
    }

    let outcome: ShareRow['outcome'];
    const abhaNumber = p.abhaNumber ? (normaliseAbhaNumber(p.abhaNumber) ?? null) : null;
    let patientId = (await this.repo.patientByAbha(abhaAddress, abhaNumber)) ?? null;
    let candidates: string[] = [];
    if (patientId) outcome = 'matched';
    else {
      const result = await this.register(p);
      if (!result) return this.refuse(row);
      ({ patientId, outcome, candidates } = result);
    }

    // The token is the OPD queue's: the patient joins this counter's queue (docs/queue.md).
    const { token, day } = await this.queue.joinAtCounter(row.hip_id, counter, patientId);
    await this.repo.insertShare({
      tenantId: row.tenant_id,
      requestId: row.request_id,
      hipId: row.hip_id,
      counter,
      abhaAddress,
      patientId,
      outcome,
      candidates,
      day,
      token,
      expirySeconds: SHARE_TOKEN_EXPIRY_SECONDS,
    });
    await this.audit.record({
      action: 'abdm_profile_share',
      entityType: patientId ? 'patient' : 'abdm_request',
      entityId: patientId ?? row.request_id,
      details: { outcome, tokenNumber: token, candidates: candidates.length, requestId: row.request_id },
    });
    await this.answer(row, body, abhaAddress, token);
  }

  private async refuse(row: InboxRow): Promise<void> {
    this.log.warn(`profile share ${row.request_id}: the profile does not make a valid registration`);
    await this.audit.record({
      action: 'abdm_profile_share_refused',
      entityType: 'abdm_request',
      entityId: row.request_id,
      details: { reason: 'invalid profile' },
    });
    await this.transactions.answer(row.tenant_id, null, GATEWAY_PATHS.onShare, row.request_id, {
      error: ABDM_ERRORS.shareInvalid,
    });
  }

  /**
   * Registers through the registry's own rules: the HTTP API's validation pipe on the DTO,
   * then register() (its phone and birth-date checks, duplicate check, MRN, event, audit).
   * When the full profile fails them, once more with the required fields only (a malformed
   * phone or address is left out rather than refusing the patient); undefined if that fails too.
   */
  private async register(
    p: Patient,
  ): Promise<{ patientId: string | null; outcome: ShareRow['outcome']; candidates: string[] } | undefined> {
    for (const minimal of [false, true]) {
      let dto: CreatePatientDto;
      try {
        dto = (await this.validation.transform(registrationFrom(p, minimal), {
          type: 'body',
          metatype: CreatePatientDto,
        })) as CreatePatientDto;
        return { patientId: (await this.patients.register(dto)).id, outcome: 'registered', candidates: [] };
      } catch (err) {
        if (!(err instanceof ProblemException)) throw err;
        if (err.kind === 'duplicate') {
          const candidates = ((err.extensions.candidates ?? []) as { id: string }[]).map((c) => c.id);
          return { patientId: null, outcome: 'review', candidates };
        }
        // Validation refuses before anything is written; anything else is not ours to swallow.
        if (err.kind !== 'validation') throw err;
      }
    }
    return undefined;
  }

  private answer(row: InboxRow, body: ProfileShareBody, abhaAddress: string, token: number) {
    return this.transactions.answer(row.tenant_id, null, GATEWAY_PATHS.onShare, row.request_id, {
      acknowledgement: {
        status: 'SUCCESS',
        abhaAddress,
        profile: {
          context: body.metaData.context,
          tokenNumber: String(token),
          expiry: String(SHARE_TOKEN_EXPIRY_SECONDS),
        },
      },
    });
  }
}
