import { ProblemException, type ProblemKind } from '@hims/errors';
import { AbhaServiceError, type AbhaFailureKind } from './abha.client';
import type { FlowRow, FlowState } from './abha-flows.repository';
import { UnusableProfile } from './abha-profile';

/** The ABDM consent text version the counter shows before an Aadhaar enrolment (consent code abha-enrollment). */
export const ABHA_ENROLMENT_CONSENT = { code: 'abha-enrollment', version: '1.4' } as const;

const PROBLEM_OF: Record<AbhaFailureKind, ProblemKind> = {
  'invalid-otp': 'abhaOtpInvalid',
  'otp-expired': 'abhaOtpExpired',
  'rate-limited': 'abhaRateLimited',
  'not-found': 'abhaNotFound',
  'session-expired': 'abhaFlowExpired',
  refused: 'abhaRefused',
  unavailable: 'abhaUnavailable',
};

const DETAIL_OF: Record<AbhaFailureKind, string> = {
  'invalid-otp': 'The OTP does not match; check it with the patient and try again',
  'otp-expired': 'The OTP has expired; start again to send a new one',
  'rate-limited': 'The ABHA service refuses more OTP requests for now; try again later',
  'not-found': 'The ABHA service knows no ABHA for this identifier; create one with Aadhaar instead',
  'session-expired': "The ABHA service's session for this patient has ended; start again",
  refused: 'The ABHA service refused the request',
  unavailable:
    'The ABHA service cannot be reached now; register the patient by hand and verify the ABHA later',
};

/** Runs one call to the ABHA service and turns its failure into the counter's problem. */
export async function abhaStep<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof AbhaServiceError) {
      throw new ProblemException(
        PROBLEM_OF[err.kind],
        DETAIL_OF[err.kind],
        { abhaCode: err.code, abhaMessage: err.serviceMessage },
        err.kind === 'rate-limited' ? { 'Retry-After': '60' } : {},
      );
    }
    if (err instanceof UnusableProfile) {
      throw new ProblemException(
        'abhaRefused',
        `The ABHA service sent a profile without a usable ${err.message}`,
      );
    }
    throw err;
  }
}

export function flowNotFound(): ProblemException {
  return new ProblemException(
    'notFound',
    'No ABHA flow with this id (unknown, another clinic’s, or expired)',
  );
}

export function requireState(flow: FlowRow, ...states: FlowState[]): void {
  if (!states.includes(flow.state)) {
    throw new ProblemException(
      'abhaFlowState',
      `The flow is ${flow.state}; this step needs ${states.join(' or ')}`,
      {
        state: flow.state,
      },
    );
  }
}
