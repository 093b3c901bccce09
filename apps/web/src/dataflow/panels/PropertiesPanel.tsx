import { useDataflow } from '../store.ts';
import { setValue } from '../manifest.ts';
import { useLiveDraft } from './useLiveDraft.ts';

/**
 * Data flow properties (operations experience step 2): name, profile (fixed
 * once created, as in the reference), enable, request disk persistence.
 */
export function PropertiesPanel() {
  const value = useDataflow((s) => s.value);
  const saved = useDataflow((s) => !!s.savedName);
  const edit = (path: string[], v: string) => useDataflow.getState().edit((t) => setValue(t, path, v));
  const spec = value?.spec ?? ({} as NonNullable<typeof value>['spec']);
  // Name and profile apply as typed (one undo step per burst), like the node panels.
  const [draft, update] = useLiveDraft({ name: value?.metadata?.name ?? '', profile: spec.profileRef ?? '' }, 'properties',
    (t, d) => setValue(setValue(t, ['metadata', 'name'], d.name.trim()), ['spec', 'profileRef'], d.profile.trim()));
  if (!value) return <div className="muted">Fix the YAML to edit the properties.</div>;
  return (
    <div className="panel-form" data-testid="properties-panel">
      <label className="field"><span>Name</span>
        <input data-testid="graph-name" value={draft.name} disabled={saved}
          title={saved ? 'the name identifies the saved graph: duplicate it from the graph list to rename' : undefined}
          onChange={(e) => update('name', { ...draft, name: e.target.value })} />
      </label>
      <label className="field"><span>Profile</span>
        <input data-testid="graph-profile" value={draft.profile} disabled={saved}
          title={saved ? 'the data flow profile cannot be changed after creation' : undefined}
          onChange={(e) => update('profile', { ...draft, profile: e.target.value })} />
      </label>
      <label className="check"><input type="checkbox" data-testid="graph-enabled" checked={(spec.mode ?? 'Enabled').toLowerCase() === 'enabled'}
        onChange={(e) => edit(['spec', 'mode'], e.target.checked ? 'Enabled' : 'Disabled')} /> Enable data flow</label>
      <label className="check"><input type="checkbox" data-testid="graph-persistence" checked={(spec.requestDiskPersistence ?? 'Disabled') === 'Enabled'}
        onChange={(e) => edit(['spec', 'requestDiskPersistence'], e.target.checked ? 'Enabled' : 'Disabled')} /> Request disk persistence</label>
    </div>
  );
}
