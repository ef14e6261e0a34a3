import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useSession } from '../session';

/** The clinic's doctors (for booking, and to name the doctor of a visit). */
export function useDoctors() {
  const { tenantHeader } = useSession();
  return useQuery({
    queryKey: ['doctors', tenantHeader['X-Tenant-ID']],
    staleTime: 60_000,
    queryFn: async () => {
      const res = await api.GET('/api/v1/doctors', { params: { header: tenantHeader } });
      if (!res.data) throw new Error('doctors failed');
      return res.data.items;
    },
  });
}

/** What the signed-in user's roles allow on the clinic's day (the API enforces it too). */
export function useRoles() {
  const { me } = useSession();
  const roles = me?.roles ?? [];
  return {
    userId: me?.user.id ?? '',
    reception: roles.includes('receptionist'),
    clinician: roles.includes('doctor') || roles.includes('nurse'),
    doctor: roles.includes('doctor'),
    admin: roles.includes('tenant_admin'),
  };
}

/**
 * Hands a fetched PDF or JSON to the browser as a download. The files are fetched with the
 * session's bearer token (it lives in memory), so a plain link could not carry it.
 */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
