import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { catalogue, useI18n, type MessageKey } from '../i18n';
import { useSession } from '../session';
import { formatDateTime } from './format';
import { mergeEntries } from './history-lines';

/** tenant_admin: who read or changed this patient, with staff names. */
export function PatientHistory() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { tenantHeader } = useSession();
  const users = useQuery({
    queryKey: ['users', tenantHeader['X-Tenant-ID']],
    queryFn: async () => (await api.GET('/api/v1/users', { params: { header: tenantHeader, query: { limit: 100 } } })).data?.items ?? [],
  });
  const audit = useInfiniteQuery({
    queryKey: ['patient-audit', tenantHeader['X-Tenant-ID'], id],
    queryFn: async ({ pageParam }) => {
      const res = await api.GET('/api/v1/audit', { params: { header: tenantHeader, query: { entityId: id, cursor: pageParam, limit: 50 } } });
      if (!res.data) throw new Error('audit failed');
      return res.data;
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const name = (actor: string | null) => users.data?.find((u) => u.id === actor)?.displayName ?? (actor ? '—' : 'system');
  const label = (a: string) => (`action_${a}` in catalogue[lang] ? t(`action_${a}` as MessageKey) : a);
  const lines = mergeEntries(audit.data?.pages.flatMap((p) => p.items) ?? []);
  return (
    <section aria-labelledby="history-title">
      <h1 id="history-title">{t('historyTitle')}</h1>
      <p>
        <Link to={`/patients/${id}`}>← {t('patientTitle')}</Link>
      </p>
      <p className="muted">{t('historyOf')}</p>
      {audit.isError && <p role="alert">{t('error')}</p>}
      <ol className="history">
        {lines.map((l) => (
          <li key={l.key}>
            <time dateTime={l.at}>{formatDateTime(l.at)}</time> · <strong>{name(l.actorId)}</strong> · {l.actions.map(label).join(', ')}
            {l.fields.length > 0 && (
              <span className="muted">
                {' '}
                ({t('changedFields')}: {l.fields.join(', ')})
              </span>
            )}
          </li>
        ))}
      </ol>
      {audit.hasNextPage && (
        <button type="button" onClick={() => void audit.fetchNextPage()}>
          {t('more')}
        </button>
      )}
    </section>
  );
}
