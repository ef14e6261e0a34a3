import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useI18n, type MessageKey } from '../i18n';
import './platform.css';
import { OnboardForm } from './OnboardForm';
import { TenantPanel } from './TenantPanel';
import {
  getTenant,
  listTenants,
  needsSecondFactor,
  operatorSignedIn,
  operatorSignIn,
  operatorSignOut,
  type Tenant,
  type TenantItem,
} from './platform-api';

function OperatorSignIn({ onIn }: { onIn: () => void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [askCode, setAskCode] = useState(false);
  const [error, setError] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError('');
    const a = await operatorSignIn(email.trim(), password, askCode ? code.trim() : undefined);
    if (a.ok) return onIn();
    if (needsSecondFactor(a.problem) && !askCode) return setAskCode(true);
    setError(a.status === 429 ? t('opTooMany') : t('opBadLogin'));
  }

  return (
    <form onSubmit={submit} className="panel narrow" aria-labelledby="op-signin">
      <h1 id="op-signin">{t('opSignIn')}</h1>
      <div className="field">
        <label htmlFor="op-email">{t('opEmail')}</label>
        <input id="op-email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="op-password">{t('opPassword')}</label>
        <input
          id="op-password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
      </div>
      {askCode && (
        <div className="field">
          <p>{t('opCodeNeeded')}</p>
          <label htmlFor="op-code">{t('opCode')}</label>
          <input id="op-code" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} autoFocus />
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit">{t('opSignInButton')}</button>
    </form>
  );
}

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
      <header className="top">
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
            <OnboardForm onDone={() => void refresh()} />
          </>
        )}
      </main>
    </>
  );
}
