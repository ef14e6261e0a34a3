import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { ConsultationSummary } from './ConsultationForm';
import { formatDateTime } from './format';

/** Every signed version side by side (oldest first), with each amendment's reason. */
export function VisitVersions({ visitId }: { visitId: string }) {
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const versions = useQuery({
    queryKey: ['versions', visitId, tenantHeader['X-Tenant-ID']],
    queryFn: async () => {
      const res = await api.GET('/api/v1/visits/{id}/versions', { params: { header: tenantHeader, path: { id: visitId } } });
      if (!res.data) throw new Error('versions failed');
      return res.data.items;
    },
  });
  if (!versions.data || versions.data.length < 2) return null;
  return (
    <section className="card" aria-labelledby="versions-title">
      <h2 id="versions-title">{t('compareVersions')}</h2>
      <div className="versions">
        {versions.data.map((ver) => (
          <article key={ver.version} aria-labelledby={`ver-${ver.version}`}>
            <h3 id={`ver-${ver.version}`}>
              {t('versionN')} {ver.version} · {formatDateTime(ver.createdAt)}
            </h3>
            <p className="muted">{ver.reason ? `${t('amendmentReason')}: ${ver.reason}` : t('asSigned')}</p>
            <ConsultationSummary c={ver.consultation} />
          </article>
        ))}
      </div>
    </section>
  );
}
