import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { useSession } from '../session';

/** One ABDM transaction as GET /api/v1/abdm/transactions answers it (docs/abdm.md, "Operators"). */
interface AbdmTransaction {
  id: string;
  transactionId: string;
  hipId: string;
  state: string;
  failure: string | null;
  final: boolean;
  retries: number;
  gatewayError: { code: string | null; message: string | null } | null;
  updatedAt: string;
  outbound: { path: string; status: string; attempts: number; lastStatus: number | null }[];
}

/** tenant_admin: the clinic's ABDM transactions, what the gateway said, retries, final state. */
export function AbdmPage() {
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const list = useQuery({
    queryKey: ['abdm-transactions', tenantHeader['X-Tenant-ID']],
    queryFn: async () => {
      const res = await api.GET('/api/v1/abdm/transactions', {
        params: { header: tenantHeader, query: { limit: 50 } },
      });
      // The endpoint's body is not in the OpenAPI schema; its shape is documented in docs/abdm.md.
      const body = (res as { data?: { items: AbdmTransaction[] } }).data;
      if (!res.response.ok || !body) throw new Error('abdm transactions failed');
      return body.items;
    },
  });
  const rows = list.data ?? [];
  return (
    <section aria-labelledby="abdm-title">
      <h1 id="abdm-title">{t('abdmTitle')}</h1>
      <p>{t('abdmHint')}</p>
      {list.isError && <p role="alert">{t('error')}</p>}
      {list.isSuccess && rows.length === 0 && <p>{t('abdmNone')}</p>}
      {/* On a phone the table scrolls sideways inside its own region, not the page. */}
      <div className="scroll-x" role="region" aria-labelledby="abdm-title" tabIndex={0}>
        <table className="audit">
          <caption className="visually-hidden">{t('abdmTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('when')}</th>
              <th scope="col">{t('abdmState')}</th>
              <th scope="col">{t('abdmGatewaySaid')}</th>
              <th scope="col">{t('abdmRetries')}</th>
              <th scope="col">{t('abdmCalls')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td className="nowrap">{new Date(r.updatedAt).toLocaleString()}</td>
                <td>
                  {r.state}
                  {r.final ? ` (${t('abdmFinal')})` : ''}
                </td>
                <td>
                  {r.gatewayError ? (
                    <>
                      <span className="mono">{r.gatewayError.code}</span> {r.gatewayError.message}
                    </>
                  ) : (
                    (r.failure ?? '—')
                  )}
                </td>
                <td>{r.retries}</td>
                <td className="mono nowrap">
                  {r.outbound.map((c) => (
                    <div key={c.path + c.attempts}>
                      {c.path.split('/').slice(-2).join('/')} {c.status} ×{c.attempts}
                      {c.lastStatus ? ` HTTP ${c.lastStatus}` : ''}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
