import { api } from "../app/api-client.ts";
import { useResource } from "../ui/use-resource.ts";

interface AdminSettings {
  allowSignup: boolean;
}

/** Server-wide settings, for admins only (`enabled` false skips the request). */
export function useAdminSettings(enabled: boolean) {
  const resource = useResource(enabled ? "admin-settings" : null, () => api.get<AdminSettings>("/api/admin/settings"));

  async function setAllowSignup(allowSignup: boolean): Promise<void> {
    await api.patch("/api/admin/settings", { allowSignup });
    await resource.reload();
  }

  return { settings: resource.data, error: resource.error, setAllowSignup };
}
