// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { useDesigner } from '../store/designer.ts';
import { isTextTarget, runShortcut, shortcutFor } from './shortcuts.ts';

const simpleYaml = `metadata: { $schema: x, name: g, version: 1.0.0 }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
operations:
  - { operationType: source, name: source }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: sink } }
`;
const keys = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) =>
  ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('editor shortcuts', () => {
  beforeEach(async () => {
    await useDesigner.getState().open('graph-simple:1.0.0', simpleYaml);
  });

  it('maps keys to actions (Ctrl or Cmd)', () => {
    expect(shortcutFor(keys('z', { ctrlKey: true }))).toBe('undo');
    expect(shortcutFor(keys('Z', { metaKey: true, shiftKey: true }))).toBe('redo');
    expect(shortcutFor(keys('y', { ctrlKey: true }))).toBe('redo');
    expect(shortcutFor(keys('c', { ctrlKey: true }))).toBe('copy');
    expect(shortcutFor(keys('v', { metaKey: true }))).toBe('paste');
    expect(shortcutFor(keys('a', { ctrlKey: true }))).toBe('selectAll');
    expect(shortcutFor(keys('l'))).toBe('layout');
    expect(shortcutFor(keys('z'))).toBeUndefined();
    expect(shortcutFor(keys('z', { ctrlKey: true, altKey: true }))).toBeUndefined();
  });

  it('leaves text fields and Monaco alone', () => {
    document.body.innerHTML = '<div class="monaco-editor"><textarea id="m"></textarea></div><input id="i"><div id="d"></div>';
    expect(isTextTarget(document.getElementById('m'))).toBe(true);
    expect(isTextTarget(document.getElementById('i'))).toBe(true);
    expect(isTextTarget(document.getElementById('d'))).toBe(false);
  });

  it('copy applies only with operations selected; paste only with a clipboard; undo walks back', () => {
    const s = () => useDesigner.getState();
    expect(runShortcut('paste')).toBe(false);
    expect(runShortcut('copy')).toBe(false);
    s().select('sink');
    expect(runShortcut('copy')).toBe(true);
    expect(runShortcut('paste')).toBe(true);
    expect(s().nodes.map((n) => n.id)).toContain('sink-2');
    expect(runShortcut('undo')).toBe(true);
    expect(s().yaml).toBe(simpleYaml);
    runShortcut('redo');
    expect(s().nodes.map((n) => n.id)).toContain('sink-2');
    expect(runShortcut('selectAll')).toBe(true);
    expect(s().nodes.every((n) => n.selected)).toBe(true);
  });
});
