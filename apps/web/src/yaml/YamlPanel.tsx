import { useDesigner } from '../store/designer.ts';
import { YamlEditor } from './YamlEditor.tsx';

/** The open graph definition's YAML, kept in sync with the designer store both ways. */
export function YamlPanel() {
  const yaml = useDesigner((s) => s.yaml);
  const setYaml = useDesigner((s) => s.setYaml);
  const diagnostics = useDesigner((s) => s.diagnostics);
  const revealLine = useDesigner((s) => s.revealLine);
  return (
    <YamlEditor
      className="yaml-panel"
      testId="yaml-panel"
      documentKind="graph-definition"
      value={yaml}
      onChange={setYaml}
      diagnostics={diagnostics}
      revealLine={revealLine}
      exposeAs="wgsEditor"
    />
  );
}
