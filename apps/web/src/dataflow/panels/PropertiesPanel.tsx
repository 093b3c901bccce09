import { useDataflow } from '../store.ts';
import { setValue } from '../manifest.ts';

/**
 * Data flow properties (operations experience step 2): name, profile (fixed
 * once created, as in the reference), enable, request disk persistence.
 */
export function PropertiesPanel() {
  const value = useDataflow((s) => s.value);
  const saved = useDataflow((s) => !!s.savedName);
  const edit = (path: string[], v: string) => useDataflow.getState().edit((t) => setValue(t, path, v));
  if (!value) return <div className="muted">Fix the YAML to edit the properties.</div>;
  const spec = value.spec ?? ({} as typeof value.spec);
  return (
    <div className="panel-form" data-testid="properties-panel">
      <label className="field"><span>Name</span>
        <input data-testid="graph-name" defaultValue={value.metadata?.name} key={value.metadata?.name} disabled={saved}
          title={saved ? 'the name identifies the saved graph: duplicate it from the graph list to rename' : undefined}
          onBlur={(e) => e.target.value !== value.metadata?.name && edit(['metadata', 'name'], e.target.value.trim())} />
      </label>
      <label className="field"><span>Profile</span>
        <input data-testid="graph-profile" defaultValue={spec.profileRef ?? ''} key={spec.profileRef} disabled={saved}
          title={saved ? 'the data flow profile cannot be changed after creation' : undefined}
          onBlur={(e) => e.target.value !== (spec.profileRef ?? '') && edit(['spec', 'profileRef'], e.target.value.trim())} />
      </label>
      <label className="check"><input type="checkbox" data-testid="graph-enabled" checked={(spec.mode ?? 'Enabled').toLowerCase() === 'enabled'}
        onChange={(e) => edit(['spec', 'mode'], e.target.checked ? 'Enabled' : 'Disabled')} /> Enable data flow</label>
      <label className="check"><input type="checkbox" data-testid="graph-persistence" checked={(spec.requestDiskPersistence ?? 'Disabled') === 'Enabled'}
        onChange={(e) => edit(['spec', 'requestDiskPersistence'], e.target.checked ? 'Enabled' : 'Disabled')} /> Request disk persistence</label>
    </div>
  );
}
