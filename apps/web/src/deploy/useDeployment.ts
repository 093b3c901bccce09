import { useEffect, useState } from 'react';
import type { DeploymentStatus } from '@wgs/api-contract';
import type { ApiClient } from '../api/client.ts';

/** What the cluster holds for `name`, read every `intervalMs` while `enabled` (errors keep the last answer). */
export function useDeployment(api: ApiClient, name: string, enabled: boolean, intervalMs: number): DeploymentStatus | undefined {
  const [status, setStatus] = useState<DeploymentStatus>();
  useEffect(() => {
    if (!enabled || !name) return;
    let live = true;
    const poll = () => api.deployment(name).then((s) => live && setStatus(s), () => undefined);
    void poll();
    const timer = setInterval(poll, intervalMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, name, enabled, intervalMs]);
  return status;
}
