import { Navigate, NavLink, Route, Routes, useNavigate } from 'react-router';
import { useEffect, useState, type ReactNode } from 'react';
import { useI18n } from './i18n';
import { useSession } from './session';
import { SignInPage } from './pages/SignIn';
import { SetPasswordPage } from './pages/SetPassword';
import { SearchPage } from './pages/Search';
import { RegisterPage } from './pages/Register';
import { PatientPage } from './pages/Patient';
import { AuditPage } from './pages/Audit';
import { UsersPage } from './pages/Users';
import { AbhaCounterPage } from './pages/AbhaCounter';

function AdminOnly({ children }: { children: ReactNode }) {
  const { isAdmin } = useSession();
  const { t } = useI18n();
  return isAdmin ? <>{children}</> : <p role="alert">{t('forbidden')}</p>;
}

function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <label className="lang">
      {t('language')}{' '}
      <select value={lang} onChange={(e) => setLang(e.target.value === 'hi' ? 'hi' : 'en')}>
        <option value="en">English</option>
        <option value="hi">हिन्दी</option>
      </select>
    </label>
  );
}

export function App() {
  const { ready, me, isAdmin, logout, logoutEverywhere } = useSession();
  const { t } = useI18n();
  const navigate = useNavigate();
  const [everywhereFailed, setEverywhereFailed] = useState(false);
  // The note belongs to the session it was about (a lost session drops it).
  useEffect(() => setEverywhereFailed(false), [me]);
  if (!ready) return <p className="loading">{t('loading')}</p>;
  if (!me) {
    return (
      <>
        <header className="top">
          <span className="brand">{t('appName')}</span>
          <LanguageSwitch />
        </header>
        <main id="main">
          <Routes>
            <Route path="/set-password" element={<SetPasswordPage />} />
            <Route path="*" element={<SignInPage />} />
          </Routes>
        </main>
      </>
    );
  }
  return (
    <>
      <a className="skip" href="#main">
        {t('skipToContent')}
      </a>
      <header className="top">
        <span className="brand">{me.tenant.name}</span>
        <nav aria-label={t('appName')}>
          <NavLink to="/">{t('navSearch')}</NavLink>
          <NavLink to="/register">{t('navRegister')}</NavLink>
          <NavLink to="/abha">ABHA</NavLink>
          {isAdmin && <NavLink to="/audit">{t('navAudit')}</NavLink>}
          {isAdmin && <NavLink to="/users">{t('navUsers')}</NavLink>}
        </nav>
        <div className="session">
          <span className="who">
            {t('signedInAs')} {me.user.displayName}
          </span>
          <LanguageSwitch />
          <button
            type="button"
            onClick={async () => {
              await logout();
              navigate('/');
            }}
          >
            {t('signOut')}
          </button>
          <button
            type="button"
            className="secondary"
            title={t('signOutEverywhereHint')}
            onClick={async () => {
              const ok = await logoutEverywhere();
              setEverywhereFailed(!ok);
              if (ok) navigate('/');
            }}
          >
            {t('signOutEverywhere')}
          </button>
        </div>
      </header>
      <main id="main">
        {everywhereFailed && (
          <p role="alert" className="error">
            {t('signOutEverywhereFailed')}
          </p>
        )}
        <Routes>
          <Route path="/" element={<SearchPage />} />
          <Route path="/register" element={<RegisterPage />} />
          <Route path="/abha" element={<AbhaCounterPage />} />
          <Route path="/patients/:id" element={<PatientPage />} />
          <Route
            path="/audit"
            element={
              <AdminOnly>
                <AuditPage />
              </AdminOnly>
            }
          />
          <Route
            path="/users"
            element={
              <AdminOnly>
                <UsersPage />
              </AdminOnly>
            }
          />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </main>
    </>
  );
}
