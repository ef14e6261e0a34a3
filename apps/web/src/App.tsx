import { Navigate, NavLink, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useEffect, useState, type ReactNode } from 'react';
import { useI18n } from './i18n';
import { useSession } from './session';
import { SignInPage } from './pages/SignIn';
import { SetPasswordPage } from './pages/SetPassword';
import { SearchPage } from './pages/Search';
import { RegisterPage } from './pages/Register';
import { PatientPage } from './pages/Patient';
import { AbdmPage } from './pages/Abdm';
import { AuditPage } from './pages/Audit';
import { UsersPage } from './pages/Users';
import { billingRoutes } from './billing/routes';
import { clinicRoutes } from './clinic/routes';
import { AbhaCounterPage } from './pages/AbhaCounter';
import { PlatformConsole } from './platform/PlatformConsole';
import { DoctorQueuePage, ReceptionBoardPage, WaitingRoomPage, WaitTimesPage, useQueueMessages } from './pages/queue';

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
  const tq = useQueueMessages();
  const navigate = useNavigate();
  const location = useLocation();
  const [everywhereFailed, setEverywhereFailed] = useState(false);
  // The note belongs to the session it was about (a lost session drops it).
  useEffect(() => setEverywhereFailed(false), [me]);
  // The waiting-room display needs no staff session (it holds a display key).
  if (location.pathname === '/display') return <WaitingRoomPage />;
  // Platform operators have their own sign-in and token, apart from any clinic's session.
  if (location.pathname === '/platform') return <PlatformConsole languageSwitch={<LanguageSwitch />} />;
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
          <NavLink to="/today">{t('navToday')}</NavLink>
          <NavLink to="/abha">ABHA</NavLink>
          <NavLink to="/queue">{tq('navQueue')}</NavLink>
          {me.roles.includes('doctor') && <NavLink to="/my-queue">{tq('navMyQueue')}</NavLink>}
          <NavLink to="/queue/waits">{tq('navWaits')}</NavLink>
          {isAdmin && <NavLink to="/audit">{t('navAudit')}</NavLink>}
          {isAdmin && <NavLink to="/abdm">{t('navAbdm')}</NavLink>}
          {isAdmin && <NavLink to="/users">{t('navUsers')}</NavLink>}
          <NavLink to="/counter">{t('navCounter')}</NavLink>
          {isAdmin && <NavLink to="/price-list">{t('navPriceList')}</NavLink>}
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
          {clinicRoutes((page) => <AdminOnly>{page}</AdminOnly>)}
          <Route path="/queue" element={<ReceptionBoardPage />} />
          <Route path="/my-queue" element={<DoctorQueuePage />} />
          <Route path="/queue/waits" element={<WaitTimesPage />} />
          <Route
            path="/audit"
            element={
              <AdminOnly>
                <AuditPage />
              </AdminOnly>
            }
          />
          <Route
            path="/abdm"
            element={
              <AdminOnly>
                <AbdmPage />
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
          {billingRoutes((page) => <AdminOnly>{page}</AdminOnly>)}
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </main>
    </>
  );
}
