import { useEffect, useState } from 'react';
import { useDesigner } from '../store/designer.ts';
import { moduleKindError, modulesForKind, type ModuleInfo } from '../model/modules.ts';
import type { OperationNode } from '../model/flow.ts';
import type { DefinitionApi } from './api.ts';
import { moduleCatalog, moduleInfo } from './catalog.ts';

/**
 * Picks the operation's module from the registry endpoint's module artifacts,
 * offering only those that export the operation's kind, and says so when the
 * module it has does not.
 */
export function ModulePicker({ api, node }: { api: DefinitionApi; node: OperationNode }) {
  const endpoint = useDesigner((s) => s.registryEndpoint);
  const setEndpoint = useDesigner((s) => s.setRegistryEndpoint);
  const changeModule = useDesigner((s) => s.changeModule);
  const [endpoints, setEndpoints] = useState<string[]>([]);
  const [catalog, setCatalog] = useState<ModuleInfo[]>();
  const [error, setError] = useState<string>();
  const [current, setCurrent] = useState<ModuleInfo>();
  const kind = node.data.operationType;
  const module = node.data.module;

  useEffect(() => {
    api.registryEndpoints().then(setEndpoints, () => setEndpoints([]));
  }, [api]);
  useEffect(() => {
    let live = true;
    setCatalog(undefined);
    setError(undefined);
    moduleCatalog(api, endpoint).then((c) => live && setCatalog(c), (e: Error) => live && setError(e.message));
    return () => { live = false; };
  }, [api, endpoint]);
  useEffect(() => {
    let live = true;
    setCurrent(undefined);
    if (module) void moduleInfo(api, endpoint, module).then((m) => live && setCurrent(m));
    return () => { live = false; };
  }, [api, endpoint, module]);

  const compatible = modulesForKind(catalog ?? [], kind);
  const kindError = moduleKindError(kind, current);
  const value = compatible.some((m) => m.reference === module) ? module : '';
  return (
    <div className="module-picker">
      <label className="field">
        <span>pick</span>
        <select
          data-testid="module-picker"
          value={value}
          disabled={!catalog}
          onChange={(e) => {
            const info = compatible.find((m) => m.reference === e.target.value);
            if (info) changeModule(node.id, info.reference, info);
          }}
        >
          <option value="">
            {catalog ? (compatible.length ? `${compatible.length} module${compatible.length > 1 ? 's' : ''} export ${kind}…` : `no module in ${endpoint} exports ${kind}`) : 'reading the registry’s modules…'}
          </option>
          {compatible.map((m) => <option key={m.reference} value={m.reference}>{m.reference}</option>)}
        </select>
        <select data-testid="module-endpoint" value={endpoint} onChange={(e) => setEndpoint(e.target.value)} title="registry endpoint the modules come from">
          {[...new Set([endpoint, ...endpoints])].map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
      {error && <div className="diag diag-error">{error}</div>}
      {kindError && <div className="diag diag-error" data-testid="module-kind-error">{kindError}</div>}
    </div>
  );
}
