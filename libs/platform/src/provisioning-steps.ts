import { INVITATION_TTL_SECONDS, newInvitationToken } from '@hims/auth';
import { ProblemException } from '@hims/errors';
import type { Sql } from './platform-database';
import type { SagaRow } from './saga.repository';

/** What one run of a saga learnt that is never stored (the invitation's secret). */
export interface RunSecrets {
  invitation?: { token: string; expiresAt: string };
}

export interface StepContext {
  saga: SagaRow;
  requestId: string | null;
  secrets: RunSecrets;
  searchIndex: string;
}

/**
 * One step: `run` does its work inside the transaction that also records it as
 * done (so a step is either done and logged, or neither), and may run again
 * after a crash; `compensate` undoes it and tolerates finding nothing to undo.
 */
export interface Step {
  name: string;
  run(tx: Sql, ctx: StepContext): Promise<Record<string, unknown>>;
  compensate(tx: Sql, ctx: StepContext): Promise<void>;
}

export class SlugTaken extends ProblemException {
  constructor() {
    super('conflict', 'This slug is already used by another clinic');
  }
}

const none = async () => undefined;

/** The provisioning saga's steps, in order (docs/onboarding.md). */
export const PROVISIONING_STEPS: Step[] = [
  {
    name: 'reserve_slug',
    async run(tx, { saga }) {
      await tx.query(
        `INSERT INTO platform.slug_reservations (slug, saga_id) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING`,
        [saga.slug, saga.id],
      );
      const held = await tx.query(
        `SELECT 1 FROM platform.slug_reservations WHERE slug = $1 AND saga_id = $2
          AND NOT EXISTS (SELECT 1 FROM core.tenants WHERE slug = $1 AND id <> $3)`,
        [saga.slug, saga.id, saga.tenantId],
      );
      if (!held.length) throw new SlugTaken();
      return { slug: saga.slug };
    },
    async compensate(tx, { saga }) {
      await tx.query(`DELETE FROM platform.slug_reservations WHERE slug = $1 AND saga_id = $2`, [
        saga.slug,
        saga.id,
      ]);
    },
  },
  {
    name: 'create_tenant',
    async run(tx, { saga }) {
      await tx.query(`SELECT platform.create_tenant($1, $2, $3)`, [
        saga.tenantId,
        saga.slug,
        saga.input.name,
      ]);
      return { tenantId: saga.tenantId, status: 'provisioning' };
    },
    async compensate(tx, { saga }) {
      await tx.query(`SELECT platform.discard_tenant($1)`, [saga.tenantId]);
    },
  },
  {
    name: 'configure_tenant',
    async run(tx, { saga }) {
      const { defaultPhoneRegion, mrnPrefix, timeZone } = saga.input.settings;
      // `defaultRegion` is the key the patients module reads for phone numbers.
      await tx.query(`SELECT platform.configure_tenant($1, $2)`, [
        saga.tenantId,
        JSON.stringify({ defaultRegion: defaultPhoneRegion, mrnPrefix, timeZone }),
      ]);
      return { mrnSequence: 'ready', settings: ['defaultRegion', 'mrnPrefix', 'timeZone'] };
    },
    // The tenant's discard (create_tenant's compensation) removes its settings and MRN sequence.
    compensate: none,
  },
  {
    name: 'create_first_admin',
    async run(tx, ctx) {
      const { saga } = ctx;
      const { token, hash } = newInvitationToken();
      const rows: { invitation_id: string; expires_at: Date }[] = await tx.query(
        `SELECT * FROM platform.create_first_admin($1, $2, $3, $4, $5, $6)`,
        [
          saga.tenantId,
          saga.input.firstAdmin.userId,
          saga.input.firstAdmin.email,
          saga.input.firstAdmin.displayName,
          hash,
          INVITATION_TTL_SECONDS,
        ],
      );
      const expiresAt = new Date(rows[0].expires_at).toISOString();
      ctx.secrets.invitation = { token, expiresAt };
      return { userId: saga.input.firstAdmin.userId, invitationId: rows[0].invitation_id, expiresAt };
    },
    async compensate(tx, { saga }) {
      await tx.query(`SELECT platform.discard_first_admin($1, $2)`, [
        saga.tenantId,
        saga.input.firstAdmin.userId,
      ]);
    },
  },
  {
    // Search keeps every clinic in one tenant-filtered index (libs/search): nothing to create
    // per tenant. The step stays in the log so a per-tenant need has its place.
    name: 'search_readiness',
    async run(_tx, { searchIndex }) {
      return { index: searchIndex, perTenantWork: 'none (shared index, every query filtered by tenant_id)' };
    },
    compensate: none,
  },
  {
    name: 'activate',
    async run(tx, { saga, requestId }) {
      const [{ activated }] = await tx.query(`SELECT platform.activate_tenant($1, $2, $3, $4) AS activated`, [
        saga.tenantId,
        saga.id,
        requestId ?? '',
        saga.operatorId,
      ]);
      return { status: 'active', events: activated ? ['tenant.provisioned', 'user.invited'] : [] };
    },
    compensate: none,
  },
];

export const STEP_NAMES = PROVISIONING_STEPS.map((s) => s.name);
