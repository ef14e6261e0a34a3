import { useState, type FormEvent } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { useSession } from '../session';

/** tenant_admin: who read or changed what, newest first; filter by entity and action; cursor pages. */
export function AuditPage() {
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const [params, setParams] = useSearchParams();
  const entityId = params.get('entityId') ?? '';
  const action = params.get('action') ?? '';
  const [entityInput, setEntityInput] = useState(entityId);
  const [actionInput, setActionInput] = useState(action);

  const audit = useInfiniteQuery({
    queryKey: ['audit', tenantHeader['X-Tenant-ID'], entityId, action],
    queryFn: async ({ pageParam }) => {
      const res = await api.GET('/api/v1/audit', {
        params: {
          header: tenantHeader,
          query: {
            entityId: entityId || undefined,
            action: action || undefined,
            cursor: pageParam,
            limit: 25,
          },
        },
      });
      if (!res.data) throw new Error('audit failed');
      return res.data;
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const next = new URLSearchParams();
    if (entityInput.trim()) next.set('entityId', entityInput.trim());
    if (actionInput.trim()) next.set('action', actionInput.trim());
    setParams(next);
  }

  const rows = audit.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('auditTitle')}</h1>
      <form className="card filters" onSubmit={submit}>
        <label htmlFor="a-entity">{t('auditFilterEntity')}</label>
        <input id="a-entity" value={entityInput} onChange={(e) => setEntityInput(e.target.value)} />
        <label htmlFor="a-action">{t('auditFilterAction')}</label>
        <input id="a-action" value={actionInput} onChange={(e) => setActionInput(e.target.value)} />
        <button type="submit">{t('filter')}</button>
      </form>
      {audit.isError && <p role="alert">{t('error')}</p>}
      <table className="audit">
        <caption className="visually-hidden">{t('auditTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('when')}</th>
            <th scope="col">{t('who')}</th>
            <th scope="col">{t('action')}</th>
            <th scope="col">{t('entity')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{new Date(r.occurredAt).toLocaleString()}</td>
              <td className="mono">{r.actorId ?? '—'}</td>
              <td>{r.action}</td>
              <td className="mono">
                {r.entityType} {r.entityId}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {audit.hasNextPage && (
        <button type="button" onClick={() => void audit.fetchNextPage()}>
          {t('more')}
        </button>
      )}
    </section>
  );
}
