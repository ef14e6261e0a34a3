import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { createOperator } from '../../apps/cli/src/platform-operator';
import { completeSignIn, supertestPost } from './mfa';

export interface TestOperator {
  id: string;
  email: string;
  password: string;
}

/** A platform operator made the way the CLI makes one (owner role, argon2id, password rules). */
export async function newOperator(owner: DataSource): Promise<TestOperator> {
  const email = `operator-${randomUUID().slice(0, 8)}@platform.test`;
  const password = `Op-${randomBytes(12).toString('base64url')}`;
  const out = await createOperator(owner, ['--email', email, '--name', 'Test Operator'], password);
  if ('error' in out) throw new Error(out.error);
  return { id: out.id, email, password };
}

/** An operator signed in through POST /api/v1/platform/auth/login. */
export async function operatorToken(app: INestApplication, owner: DataSource): Promise<string> {
  const op = await newOperator(owner);
  return operatorSignIn(app, op);
}

/** Both steps of an operator's sign-in (enrolling at the first): the platform token. */
export async function operatorSignIn(app: INestApplication, op: TestOperator): Promise<string> {
  const post = supertestPost(app);
  const first = await post('/api/v1/platform/auth/login', { email: op.email, password: op.password });
  const res = await completeSignIn(post, '/api/v1/platform/auth', op.email, first);
  if (res.status !== 200) throw new Error(`operator login answered ${res.status}`);
  return res.body.accessToken as string;
}

/** A valid provisioning body with a fresh slug. */
export function provisioningBody(label = 'p') {
  const slug = `${label}-${randomUUID().slice(0, 8)}`;
  return {
    slug,
    name: `Clinic ${slug}`,
    settings: { defaultPhoneRegion: 'IN', mrnPrefix: 'SUN', timeZone: 'Asia/Kolkata' },
    firstAdmin: { email: `admin@${slug}.test`, displayName: 'First Admin' },
  };
}

/** The payload's errors against contracts/events/<type>.schema.json (null when it matches). */
export function eventSchemaErrors(eventType: string, payload: unknown): unknown {
  const dir = resolve(__dirname, '../../contracts/events');
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(resolve(dir, `${eventType}.schema.json`), 'utf8')));
  return validate(payload) ? null : validate.errors;
}
