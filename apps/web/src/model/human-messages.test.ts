import { describe, expect, it } from 'vitest';
import { fieldLabel, humanMessage } from './human-messages.ts';

describe('schema errors in words', () => {
  it('names the field from the path', () => {
    expect(fieldLabel('metadata.name')).toBe('Name');
    expect(fieldLabel('spec.nodes[0].sourceSettings.dataSources')).toBe('Data sources');
    expect(fieldLabel('operations[2]')).toBe('Operations');
  });

  it.each([
    ['metadata.name', 'must NOT have fewer than 1 characters', 'Name is required'],
    ['metadata.version', 'must NOT have fewer than 3 characters', 'Version must be at least 3 characters'],
    ['spec.nodes[0].sourceSettings.dataSources', 'must NOT have fewer than 1 items', 'Data sources needs at least one entry'],
    ['spec.nodeConnections', 'must NOT have fewer than 2 items', 'Node connections needs at least 2 entries'],
    ['metadata.name', 'must match pattern "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"', 'Name may use only lowercase letters, digits and "-", and must start and end with a letter or digit'],
    ['spec.nodes[0].name', 'must match pattern "^[a-zA-Z0-9_-]+$"', 'Name is required and may use only letters, digits, "_" and "-"'],
    ['spec', 'missing required property "profileRef"', 'Profile ref is required'],
    ['spec.instanceCount', 'must be >= 1', 'Instance count must be at least 1'],
    ['spec.mode', 'must be string', 'Mode must be text'],
    ['metadata.name', 'too long: at most 63 characters allowed', 'Name must be at most 63 characters'],
  ])('%s: %s', (path, raw, words) => {
    expect(humanMessage(path, raw)).toBe(words);
  });

  it('leaves messages that are words already', () => {
    expect(humanMessage('connections[0]', 'connection to unknown operation "x"')).toBe('connection to unknown operation "x"');
  });
});
