import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  api,
  forgetSession,
  refreshSession,
  setSessionLostHandler,
  signIn,
  signOut,
  signOutEverywhere,
  type Schemas,
} from './api/client';

export interface Clinic {
  slug: string;
  tenantId: string;
}

interface SessionValue {
  clinic: Clinic | null;
  me: Schemas['MeDto'] | null;
  ready: boolean;
  isAdmin: boolean;
  /** X-Tenant-ID for every call of this session. */
  tenantHeader: { 'X-Tenant-ID': string };
  /** The password step: signed in, or (mfaRequired in the answer) a second step follows. */
  login: (clinic: Clinic, email: string, password: string) => ReturnType<typeof signIn>;
  /** After the second step succeeded: the session is this clinic's. */
  finishSignIn: (clinic: Clinic) => Promise<void>;
  logout: () => Promise<void>;
  /** Reads the signed-in user again (after their own roles changed). */
  reloadMe: () => Promise<void>;
  /** Ends the user's sessions on every device, this one included; false when the API did not confirm it. */
  logoutEverywhere: () => Promise<boolean>;
}

const Ctx = createContext<SessionValue | null>(null);
const CLINIC_KEY = 'hims.clinic';

/** The clinic is remembered (it is not secret); the session is not: reload resumes it from the cookie. */
function rememberedClinic(): Clinic | null {
  try {
    const v = JSON.parse(localStorage.getItem(CLINIC_KEY) ?? 'null');
    return v && typeof v.slug === 'string' && typeof v.tenantId === 'string' ? v : null;
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queries = useQueryClient();
  const [clinic, setClinic] = useState<Clinic | null>(rememberedClinic);
  const [me, setMe] = useState<Schemas['MeDto'] | null>(null);
  const [ready, setReady] = useState(false);

  const loadMe = useCallback(async (tenantId: string) => {
    const res = await api.GET('/api/v1/auth/me', { params: { header: { 'X-Tenant-ID': tenantId } } });
    setMe(res.data ?? null);
  }, []);

  useEffect(() => {
    setSessionLostHandler(() => {
      setMe(null);
      queries.clear();
    });
    const c = rememberedClinic();
    if (!c) {
      setReady(true);
      return;
    }
    void (async () => {
      if (await refreshSession(c.tenantId)) await loadMe(c.tenantId);
      setReady(true);
    })();
  }, [loadMe, queries]);

  const finishSignIn = useCallback(
    async (c: Clinic) => {
      localStorage.setItem(CLINIC_KEY, JSON.stringify(c));
      setClinic(c);
      await loadMe(c.tenantId);
    },
    [loadMe],
  );

  const login = useCallback(
    async (c: Clinic, email: string, password: string) => {
      const res = await signIn(c.tenantId, email, password);
      if (res.data && 'accessToken' in res.data) await finishSignIn(c);
      return res;
    },
    [finishSignIn],
  );

  const logout = useCallback(async () => {
    if (clinic) await signOut(clinic.tenantId);
    forgetSession();
    queries.clear();
    setMe(null);
  }, [clinic, queries]);

  const logoutEverywhere = useCallback(async () => {
    if (!clinic || !(await signOutEverywhere(clinic.tenantId))) return false;
    forgetSession();
    queries.clear();
    setMe(null);
    return true;
  }, [clinic, queries]);

  const value: SessionValue = {
    clinic,
    me,
    ready,
    isAdmin: !!me?.roles.includes('tenant_admin'),
    tenantHeader: { 'X-Tenant-ID': clinic?.tenantId ?? '' },
    login,
    finishSignIn,
    logout,
    logoutEverywhere,
    reloadMe: async () => {
      if (clinic) await loadMe(clinic.tenantId);
    },
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
