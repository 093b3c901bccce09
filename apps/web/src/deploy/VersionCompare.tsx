import { stringify } from 'yaml';
import { diffResources, semanticView } from '@wgs/graph-model';
import type { Resource } from '@wgs/api-contract';
import { alignLines, describeChange } from './changes.ts';

interface Props {
  /** What the other side holds now (undefined: it was deleted). */
  theirs: Resource | undefined;
  mine: Resource;
  /** What the other side held when the user started (to say what *they* changed). */
  base?: Resource;
  theirsLabel: string;
}

// Keys sorted on both sides: the cluster returns them alphabetically (Go maps), drafts in the order written.
const asYaml = (r: Resource | undefined) => (r ? stringify(semanticView(r), { lineWidth: 0, sortMapEntries: true }).trimEnd() : '(absent)');

/**
 * Two versions of a graph: what the other side changed since the user's base,
 * how the draft differs from their version, and both manifests aligned line by
 * line (server fields and layout left out, as the deploy diff does).
 */
export function VersionCompare({ theirs, mine, base, theirsLabel }: Props) {
  const theirChanges = base ? diffResources(base, theirs) : [];
  const myChanges = diffResources(theirs, mine);
  return (
    <div className="version-compare" data-testid="version-compare">
      {base && (
        <div>
          <strong>Changed in {theirsLabel} since you started:</strong>
          <ul className="changes" data-testid="their-changes">{theirChanges.map((c, i) => <li key={i}>{describeChange(c)}</li>)}</ul>
          {theirChanges.length === 0 && <div className="muted">only server bookkeeping</div>}
        </div>
      )}
      <div>
        <strong>Your draft against {theirsLabel}:</strong>
        <ul className="changes" data-testid="my-changes">{myChanges.map((c, i) => <li key={i}>{describeChange(c)}</li>)}</ul>
      </div>
      <div className="side-by-side">
        <div className="side-head"><b>{theirsLabel}</b><b>your draft</b></div>
        {alignLines(asYaml(theirs), asYaml(mine)).map((r, i) => (
          <div key={i} className={`row-${r.kind}`}><pre>{r.left ?? ''}</pre><pre>{r.right ?? ''}</pre></div>
        ))}
      </div>
    </div>
  );
}
