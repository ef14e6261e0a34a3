import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useI18n, type MessageKey } from '../i18n';
import './platform.css';
import { OnboardForm } from './OnboardForm';
import { OperatorSignIn } from './OperatorSignIn';
import { TenantPanel } from './TenantPanel';
import {
  getTenant,
  listTenants,
  operatorSignedIn,
  operatorSignOut,
  type Tenant,
  type TenantItem,
} from './platform-api';

/** The operator's console at /platform: its own sign-in and token, apart from any clinic's. */
export function PlatformConsole({ languageSwitch }: { languageSwitch: ReactNode }) {
  const { t } = useI18n();
  const [signedIn, setSignedIn] = useState(operatorSignedIn);
  const [items, setItems] = useState<TenantItem[]>([]);
  const [selected, setSelected] = useState<Tenant | null>(null);

  const refresh = useCallback(async () => {
    const a = await listTenants();
    if (a.ok) setItems(a.body.items);
  }, []);
  useEffect(() => {
    if (signedIn) void refresh();
  }, [signedIn, refresh]);

  async function open(id: string) {
    const a = await getTenant(id);
    if (a.ok) setSelected(a.body);
  }

  return (
    <>
      <header className="top platform-top">
        <span className="brand">{t('opTitle')}</span>
        <div className="session">
          {languageSwitch}
          {signedIn && (
            <button
              type="button"
              onClick={() => {
                operatorSignOut();
                setSignedIn(false);
                setSelected(null);
              }}
            >
              {t('opSignOut')}
            </button>
          )}
        </div>
      </header>
      <main id="main" className="platform">
        {!signedIn ? (
          <OperatorSignIn onIn={() => setSignedIn(true)} />
        ) : (
          <>
            <h1>{t('opClinics')}</h1>
            {items.length === 0 ? (
              <p>{t('opNoClinics')}</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('opName')}</th>
                      <th scope="col">{t('opSlug')}</th>
                      <th scope="col">{t('opStatus')}</th>
                      <th scope="col">{t('opCreated')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((c) => (
                      <tr key={c.id}>
                        <td>
                          <button type="button" className="link" onClick={() => void open(c.id)}>
                            {c.name}
                          </button>
                        </td>
                        <td>{c.slug}</td>
                        <td>{t(`st_${c.status}` as MessageKey)}</td>
                        <td>{new Date(c.createdAt).toLocaleDateString()}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {selected && (
              <TenantPanel
                key={selected.id + selected.status}
                tenant={selected}
                onChange={(next) => {
                  setSelected(next);
                  void refresh();
                }}
              />
            )}
            <OnboardForm
              onDone={(id) => {
                // The new clinic opens at once (the list is oldest first and may not show it).
                void refresh();
                void open(id);
              }}
            />
          </>
        )}
      </main>
    </>
  );
}
