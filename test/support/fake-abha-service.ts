import { constants, generateKeyPairSync, privateDecrypt, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { abhaContractErrors, abhaContractOperations } from './abha-contract';

/**
 * A stand-in for NHA's ABHA v3 service and the gateway session it needs, built from the
 * contract (contracts/abdm/abha-v3.openapi.json) and the published flow, not from our client:
 * - it serves exactly the contract's operations, checks every request body against the
 *   contract's schema and answers 400 ABDM-1100 to one that does not fit (as the service
 *   refuses a malformed body), and checks every answer it gives against the contract too;
 * - sensitive fields must arrive RSA-OAEP(SHA-1) encrypted with the key it publishes;
 * - REQUEST-ID, TIMESTAMP and a bearer session token are required on every call;
 * - OTPs are single-use, expire, and too many OTP requests for one identifier get 429.
 * Contract violations are collected in `violations` for the tests to assert none.
 */
export interface FakePerson {
  aadhaar: string;
  /** The mobile Aadhaar holds; an enrolment that asks for another one needs a mobile OTP. */
  aadhaarMobile: string;
  firstName: string;
  lastName: string;
  gender: 'M' | 'F' | 'O' | 'T';
  dob: string; // DD-MM-YYYY
  address: string;
  pinCode: string;
  /** Set once the person has an ABHA. */
  abhaNumber?: string;
  abhaAddress?: string;
  mobile?: string;
}

interface Txn {
  id: string;
  otp: string;
  issuedAt: number;
  expired: boolean;
  used: boolean;
  purpose: 'enrol' | 'enrol-mobile' | 'login' | 'phr-login';
  person: FakePerson | FakePerson[];
  mobile?: string;
}

const ENCRYPTION = 'RSA/ECB/OAEPWithSHA-1AndMGF1Padding';
const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==',
  'base64',
);

export class FakeAbhaService {
  readonly people: FakePerson[] = [];
  readonly violations: string[] = [];
  /** Every call, as `METHOD path` (bodies stay here: they are encrypted anyway). */
  readonly calls: string[] = [];
  /** What each call carried, decrypted, for tests that check nothing leaks (kept in memory only). */
  readonly otpRequestsPerIdentifier = new Map<string, number>();
  otpTtlMs = 600_000;
  maxOtpRequestsPerIdentifier = 3;
  /** The OTP the next transaction expects (tests read it as the patient would). */
  nextOtp = '314159';
  private readonly key: { publicDer: string; privateKey: KeyObject };
  private readonly txns = new Map<string, Txn>();
  private readonly sessions = new Set<string>();
  private readonly userTokens = new Map<string, FakePerson>();
  private readonly tTokens = new Map<string, FakePerson[]>();
  private server?: Server;
  private serial = 0;

  constructor() {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.key = {
      publicDer: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
      privateKey,
    };
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/abha/api`;
  }

  get sessionUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/api/hiecm/gateway/v3/sessions`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return this;
  }

  /** The service goes down: connections are refused until start() again. */
  async stop(): Promise<void> {
    if (!this.server) return;
    await new Promise<void>((r) => this.server!.close(() => r()));
    this.server.closeAllConnections?.();
  }

  /** Every OTP issued so far has expired (what waiting ten minutes does). */
  expireOtps(): void {
    for (const t of this.txns.values()) t.expired = true;
  }

  person(p: Omit<FakePerson, 'gender' | 'dob' | 'address' | 'pinCode'> & Partial<FakePerson>): FakePerson {
    const full: FakePerson = {
      gender: 'F',
      dob: '07-03-1988',
      address: '12 MG Road, Indiranagar',
      pinCode: '560038',
      ...p,
    };
    this.people.push(full);
    return full;
  }

  // ------------------------------------------------------------------ plumbing

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    this.calls.push(`${req.method} ${url.pathname}`);
    try {
      if (url.pathname === '/api/hiecm/gateway/v3/sessions' && req.method === 'POST')
        return this.session(raw, res);
      const path = url.pathname.replace(/^\/abha\/api/, '');
      const op = `${req.method} ${path}`;
      if (!abhaContractOperations().includes(op)) return this.error(res, 404, 'ABDM-9999', 'No such API');
      const headerProblem = this.checkHeaders(req);
      if (headerProblem) return this.error(res, 401, 'ABDM-9999', headerProblem);
      const body = raw ? JSON.parse(raw) : undefined;
      const route = ROUTES[op];
      if (route.request) {
        const errors = abhaContractErrors(route.request, body);
        if (errors) {
          this.violations.push(`request ${op}: ${errors}`);
          return this.error(res, 400, 'ABDM-1100', `Invalid request: ${errors}`);
        }
      }
      const answer = route.handler.call(this, body, req);
      if (answer.png) {
        res.writeHead(202, { 'content-type': 'image/png' }).end(answer.png);
        return;
      }
      if (answer.status < 300 && route.response) {
        const errors = abhaContractErrors(route.response, answer.body);
        if (errors) this.violations.push(`response ${op}: ${errors}`);
      } else if (answer.status >= 400) {
        const errors = abhaContractErrors('ErrorBody', answer.body);
        if (errors) this.violations.push(`error ${op}: ${errors}`);
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    } catch (err) {
      if (err instanceof Refusal) return this.error(res, err.status, err.code, err.message);
      this.violations.push(`fake failed on ${req.method} ${url.pathname}: ${(err as Error).message}`);
      this.error(res, 500, 'ABDM-9999', 'Internal error');
    }
  }

  private session(raw: string, res: ServerResponse): void {
    const body = JSON.parse(raw || '{}');
    if (body.grantType !== 'client_credentials' || !body.clientId || !body.clientSecret) {
      return this.error(res, 401, 'ABDM-1001', 'Invalid client credentials');
    }
    const token = `session-${randomUUID()}`;
    this.sessions.add(token);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ accessToken: token, expiresIn: 1200, tokenType: 'bearer' }));
  }

  private checkHeaders(req: IncomingMessage): string | undefined {
    if (!/^[0-9a-f-]{36}$/i.test(String(req.headers['request-id'] ?? '')))
      return 'REQUEST-ID header is required';
    if (Number.isNaN(Date.parse(String(req.headers.timestamp ?? '')))) return 'TIMESTAMP header is required';
    const auth = String(req.headers.authorization ?? '');
    if (!auth.startsWith('Bearer ') || !this.sessions.has(auth.slice(7)))
      return 'Invalid or missing session token';
    return undefined;
  }

  private error(res: ServerResponse, status: number, code: string, message: string): void {
    res
      .writeHead(status, { 'content-type': 'application/json' })
      .end(JSON.stringify({ code, message, timestamp: new Date().toISOString() }));
  }

  decrypt(value: string): string {
    try {
      return privateDecrypt(
        { key: this.key.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
        Buffer.from(value, 'base64'),
      ).toString('utf8');
    } catch {
      throw new Refusal(400, 'ABDM-1100', 'Unable to decrypt the value');
    }
  }

  /** A new transaction, or (`reuse`) the enrolment's own one carrying on to its mobile OTP, as the service keeps one txnId per enrolment. */
  private issue(
    purpose: Txn['purpose'],
    person: Txn['person'],
    identifier: string,
    mobile?: string,
    reuse?: string,
  ): string {
    const count = (this.otpRequestsPerIdentifier.get(identifier) ?? 0) + 1;
    this.otpRequestsPerIdentifier.set(identifier, count);
    if (count > this.maxOtpRequestsPerIdentifier) {
      throw new Refusal(429, 'ABDM-1114', 'OTP request limit exceeded. Please try again after some time.');
    }
    const id = reuse ?? randomUUID();
    this.txns.set(id, {
      id,
      otp: this.nextOtp,
      issuedAt: Date.now(),
      expired: false,
      used: false,
      purpose,
      person,
      mobile,
    });
    return id;
  }

  private redeem(txnId: string, encryptedOtp: string, purposes: Txn['purpose'][]): Txn {
    const t = this.txns.get(txnId);
    if (!t || !purposes.includes(t.purpose)) throw new Refusal(400, 'ABDM-1100', 'Invalid transaction id');
    const otp = this.decrypt(encryptedOtp);
    if (t.expired || t.used || Date.now() - t.issuedAt > this.otpTtlMs) {
      throw new Refusal(400, 'ABDM-1205', 'OTP expired, please try again.');
    }
    if (otp !== t.otp) throw new Refusal(400, 'ABDM-1204', 'Invalid OTP value.');
    t.used = true;
    return t;
  }

  private newAbhaNumber(): string {
    this.serial += 1;
    const d = `91${String(Date.now() % 1e8).padStart(8, '0')}${String(this.serial).padStart(4, '0')}`;
    return `${d.slice(0, 2)}-${d.slice(2, 6)}-${d.slice(6, 10)}-${d.slice(10)}`;
  }

  private userToken(person: FakePerson): string {
    const token = `x-${randomUUID()}`;
    this.userTokens.set(token, person);
    return token;
  }

  private bearer(req: IncomingMessage, header: string, store: Map<string, unknown>): unknown {
    const v = String(req.headers[header] ?? '');
    const found = v.startsWith('Bearer ') ? store.get(v.slice(7)) : undefined;
    if (!found) throw new Refusal(401, 'ABDM-1006', `${header} expired or invalid`);
    return found;
  }

  // ------------------------------------------------------------------ operations

  certificate(): Answer {
    return ok({ publicKey: this.key.publicDer, encryptionAlgorithm: ENCRYPTION });
  }

  enrolOtp(body: OtpBody): Answer {
    const value = this.decrypt(body.loginId);
    if (body.loginHint === 'aadhaar') {
      const person = this.people.find((p) => p.aadhaar === value);
      if (!person) throw new Refusal(400, 'ABDM-1100', 'Aadhaar number is not valid');
      return ok({
        txnId: this.issue('enrol', person, value),
        message: `OTP sent to Aadhaar registered mobile number ending with ******${person.aadhaarMobile.slice(-4)}`,
      });
    }
    const enrolment = this.txns.get(body.txnId ?? '');
    if (
      !enrolment ||
      enrolment.purpose !== 'enrol' ||
      !enrolment.used ||
      !body.scope.includes('mobile-verify')
    ) {
      throw new Refusal(400, 'ABDM-1100', 'Invalid transaction id');
    }
    return ok({
      txnId: this.issue('enrol-mobile', enrolment.person, value, value, enrolment.id),
      message: `OTP sent to mobile number ending with ******${value.slice(-4)}`,
    });
  }

  enrolByAadhaar(body: { authData: { otp: { txnId: string; otpValue: string; mobile?: string } } }): Answer {
    const t = this.redeem(body.authData.otp.txnId, body.authData.otp.otpValue, ['enrol']);
    const person = t.person as FakePerson;
    const isNew = !person.abhaNumber;
    if (isNew) person.abhaNumber = this.newAbhaNumber();
    const requested = body.authData.otp.mobile;
    if (isNew && requested === person.aadhaarMobile) person.mobile = requested;
    return ok({
      message: isNew ? 'Account created successfully' : 'This account already exists',
      txnId: t.id,
      tokens: {
        token: this.userToken(person),
        expiresIn: 1800,
        refreshToken: randomUUID(),
        refreshExpiresIn: 1296000,
      },
      ABHAProfile: {
        firstName: person.firstName,
        middleName: '',
        lastName: person.lastName,
        dob: person.dob,
        gender: person.gender,
        photo: '',
        mobile: person.mobile ?? null,
        email: null,
        phrAddress: person.abhaAddress ? [person.abhaAddress] : null,
        address: person.address,
        districtCode: '572',
        stateCode: '29',
        pinCode: person.pinCode,
        abhaType: 'STANDARD',
        stateName: 'KARNATAKA',
        districtName: 'BENGALURU URBAN',
        ABHANumber: person.abhaNumber,
        abhaStatus: 'ACTIVE',
      },
      isNew,
    });
  }

  enrolMobile(body: { authData: { otp: { txnId: string; otpValue: string } } }): Answer {
    const t = this.redeem(body.authData.otp.txnId, body.authData.otp.otpValue, ['enrol-mobile']);
    const person = t.person as FakePerson;
    person.mobile = t.mobile;
    return ok({
      txnId: t.id,
      authResult: 'success',
      message: 'Mobile number is now successfully linked to your Account',
      accounts: [{ ABHANumber: person.abhaNumber! }],
    });
  }

  suggestions(_body: unknown, req: IncomingMessage): Answer {
    const t = this.txns.get(String(req.headers.transaction_id ?? ''));
    if (!t) throw new Refusal(400, 'ABDM-1100', 'Invalid transaction id');
    const p = t.person as FakePerson;
    const base = `${p.firstName}.${p.lastName}`.toLowerCase().replace(/[^a-z.]/g, '');
    return ok({
      abhaAddressList: [`${base}88`, `${base}_1988`, `${p.firstName.toLowerCase()}${p.pinCode}`],
      txnId: t.id,
    });
  }

  setAddress(body: { txnId: string; abhaAddress: string }): Answer {
    const t = this.txns.get(body.txnId);
    if (!t) throw new Refusal(400, 'ABDM-1100', 'Invalid transaction id');
    if (this.people.some((p) => p.abhaAddress === `${body.abhaAddress}@sbx`)) {
      throw new Refusal(400, 'ABDM-1100', 'This ABHA address is already taken');
    }
    const p = t.person as FakePerson;
    p.abhaAddress = `${body.abhaAddress}@sbx`;
    return ok({ healthIdNumber: p.abhaNumber!, preferredAbhaAddress: p.abhaAddress, txnId: t.id });
  }

  loginOtp(body: OtpBody): Answer {
    const value = this.decrypt(body.loginId);
    const digits = value.replace(/-/g, '');
    const found =
      body.loginHint === 'mobile'
        ? this.people.filter((p) => p.abhaNumber && p.mobile === value)
        : this.people.filter((p) =>
            body.loginHint === 'aadhaar'
              ? p.abhaNumber && p.aadhaar === value
              : p.abhaNumber?.replace(/-/g, '') === digits,
          );
    if (found.length === 0) throw new Refusal(404, 'ABDM-9999', 'User not found.');
    const txnId = this.issue('login', body.loginHint === 'mobile' ? found : found[0], value);
    return ok({
      txnId,
      message: 'OTP is sent to Mobile number ending with ******' + (found[0].mobile ?? '0000').slice(-4),
    });
  }

  loginVerify(body: { authData: { otp: { txnId: string; otpValue: string } } }): Answer {
    const t = this.redeem(body.authData.otp.txnId, body.authData.otp.otpValue, ['login']);
    const people = Array.isArray(t.person) ? t.person : [t.person];
    const accounts = people.map((p) => ({
      ABHANumber: p.abhaNumber!,
      preferredAbhaAddress: p.abhaAddress ?? null,
      name: `${p.firstName} ${p.lastName}`,
      gender: p.gender,
      dob: p.dob,
      status: 'ACTIVE',
      kycVerified: true,
    }));
    if (Array.isArray(t.person)) {
      const tToken = `t-${randomUUID()}`;
      this.tTokens.set(tToken, people);
      return ok({
        txnId: t.id,
        authResult: 'success',
        message: 'OTP verified successfully',
        token: tToken,
        expiresIn: 300,
        accounts,
      });
    }
    return ok({
      txnId: t.id,
      authResult: 'success',
      message: 'OTP verified successfully',
      token: this.userToken(people[0]),
      expiresIn: 1800,
      refreshToken: randomUUID(),
      refreshExpiresIn: 1296000,
      accounts,
    });
  }

  verifyUser(body: { ABHANumber: string }, req: IncomingMessage): Answer {
    const people = this.bearer(req, 't-token', this.tTokens) as FakePerson[];
    const person = people.find((p) => p.abhaNumber === body.ABHANumber);
    if (!person) throw new Refusal(400, 'ABDM-1100', 'ABHA number not linked to this mobile');
    return ok({
      token: this.userToken(person),
      expiresIn: 1800,
      refreshToken: randomUUID(),
      refreshExpiresIn: 1296000,
    });
  }

  phrLoginOtp(body: OtpBody): Answer {
    const value = this.decrypt(body.loginId);
    const person = this.people.find((p) => p.abhaAddress === value);
    if (!person) throw new Refusal(404, 'ABDM-9999', 'User not found.');
    return ok({ txnId: this.issue('phr-login', person, value), message: 'OTP sent' });
  }

  phrLoginVerify(body: { authData: { otp: { txnId: string; otpValue: string } } }): Answer {
    const t = this.redeem(body.authData.otp.txnId, body.authData.otp.otpValue, ['phr-login']);
    const p = t.person as FakePerson;
    return ok({
      message: 'OTP verified successfully',
      authResult: 'success',
      tokens: {
        token: this.userToken(p),
        expiresIn: 1800,
        refreshToken: randomUUID(),
        refreshExpiresIn: 1296000,
      },
      users: [
        {
          abhaAddress: p.abhaAddress!,
          fullName: `${p.firstName} ${p.lastName}`,
          abhaNumber: p.abhaNumber!,
          status: 'ACTIVE',
          kycStatus: 'VERIFIED',
        },
      ],
    });
  }

  profile(_body: unknown, req: IncomingMessage): Answer {
    const p = this.bearer(req, 'x-token', this.userTokens) as FakePerson;
    const [day, month, year] = p.dob.split('-');
    return ok({
      ABHANumber: p.abhaNumber!,
      preferredAbhaAddress: p.abhaAddress ?? null,
      mobile: p.mobile ?? null,
      firstName: p.firstName,
      middleName: '',
      lastName: p.lastName,
      name: `${p.firstName} ${p.lastName}`,
      yearOfBirth: year,
      monthOfBirth: month,
      dayOfBirth: day,
      gender: p.gender,
      status: 'ACTIVE',
      stateCode: '29',
      districtCode: '572',
      pincode: p.pinCode,
      address: p.address,
      stateName: 'KARNATAKA',
      districtName: 'BENGALURU URBAN',
      authMethods: ['AADHAAR_OTP', 'MOBILE_OTP'],
      kycVerified: true,
      createdDate: '01-01-2024',
    });
  }

  phrProfile(_body: unknown, req: IncomingMessage): Answer {
    const p = this.bearer(req, 'x-token', this.userTokens) as FakePerson;
    const [day, month, year] = p.dob.split('-');
    return ok({
      abhaAddress: p.abhaAddress!,
      abhaNumber: p.abhaNumber ?? null,
      fullName: `${p.firstName} ${p.lastName}`,
      firstName: p.firstName,
      middleName: '',
      lastName: p.lastName,
      dayOfBirth: day,
      monthOfBirth: month,
      yearOfBirth: year,
      gender: p.gender,
      mobile: p.mobile ?? null,
      address: p.address,
      stateName: 'KARNATAKA',
      districtName: 'BENGALURU URBAN',
      pinCode: p.pinCode,
      status: 'ACTIVE',
      kycStatus: 'VERIFIED',
    });
  }

  card(_body: unknown, req: IncomingMessage): Answer {
    this.bearer(req, 'x-token', this.userTokens);
    return { status: 202, body: null, png: PNG_1PX };
  }
}

interface OtpBody {
  txnId?: string;
  scope: string[];
  loginHint: string;
  loginId: string;
  otpSystem: string;
}

interface Answer {
  status: number;
  body: unknown;
  png?: Buffer;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const ok = (body: unknown): Answer => ({ status: 200, body });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler takes its own body shape, checked against the contract first
type Handler = (this: FakeAbhaService, body: any, req: IncomingMessage) => Answer;

/** Each contract operation: its request and response schemas, and what the fake does. */
const ROUTES: Record<string, { request?: string; response?: string; handler: Handler }> = {
  'GET /v3/profile/public/certificate': {
    response: 'PublicCertificate',
    handler: FakeAbhaService.prototype.certificate,
  },
  'POST /v3/enrollment/request/otp': {
    request: 'OtpRequest',
    response: 'OtpSent',
    handler: FakeAbhaService.prototype.enrolOtp,
  },
  'POST /v3/enrollment/enrol/byAadhaar': {
    request: 'EnrolByAadhaar',
    response: 'EnrolResult',
    handler: FakeAbhaService.prototype.enrolByAadhaar,
  },
  'POST /v3/enrollment/auth/byAbdm': {
    request: 'AuthByAbdm',
    response: 'AuthByAbdmResult',
    handler: FakeAbhaService.prototype.enrolMobile,
  },
  'GET /v3/enrollment/enrol/suggestion': {
    response: 'Suggestions',
    handler: FakeAbhaService.prototype.suggestions,
  },
  'POST /v3/enrollment/enrol/abha-address': {
    request: 'SetAbhaAddress',
    response: 'AbhaAddressSet',
    handler: FakeAbhaService.prototype.setAddress,
  },
  'POST /v3/profile/login/request/otp': {
    request: 'OtpRequest',
    response: 'OtpSent',
    handler: FakeAbhaService.prototype.loginOtp,
  },
  'POST /v3/profile/login/verify': {
    request: 'LoginVerify',
    response: 'LoginVerified',
    handler: FakeAbhaService.prototype.loginVerify,
  },
  'POST /v3/profile/login/verify/user': {
    request: 'VerifyUser',
    response: 'UserToken',
    handler: FakeAbhaService.prototype.verifyUser,
  },
  'POST /v3/phr/web/login/abha/request/otp': {
    request: 'OtpRequest',
    response: 'OtpSent',
    handler: FakeAbhaService.prototype.phrLoginOtp,
  },
  'POST /v3/phr/web/login/abha/verify': {
    request: 'LoginVerify',
    response: 'AbhaAddressVerified',
    handler: FakeAbhaService.prototype.phrLoginVerify,
  },
  'GET /v3/profile/account': { response: 'Profile', handler: FakeAbhaService.prototype.profile },
  'GET /v3/phr/web/login/profile/abha-profile': {
    response: 'PhrProfile',
    handler: FakeAbhaService.prototype.phrProfile,
  },
  'GET /v3/profile/account/abha-card': { handler: FakeAbhaService.prototype.card },
};
