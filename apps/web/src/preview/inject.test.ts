import { describe, expect, it } from 'vitest';
import { buildInjectMessage, defaultInjectTopic, parseUserProperties } from './inject.ts';

const form = { topic: 'sensor/temperature/raw', payload: '{"a":1}', encoding: 'text' as const, properties: '' };

describe('inject form rules', () => {
  it('defaults the topic to the first typed filter without wildcards', () => {
    expect(defaultInjectTopic('sensor/#, sensor/temperature/raw')).toBe('sensor/temperature/raw');
    expect(defaultInjectTopic('sensor/+/raw')).toBe('');
  });

  it('builds text and base64 messages with user properties', () => {
    expect(buildInjectMessage({ ...form, properties: 'a = 1\n\n__ts=x=y' })).toEqual({
      message: { topic: 'sensor/temperature/raw', payload: '{"a":1}', encoding: 'text', userProperties: [['a', '1'], ['__ts', 'x=y']] },
    });
    expect(buildInjectMessage({ ...form, encoding: 'base64', payload: 'AAEC\n/w==' })).toEqual({ message: { topic: 'sensor/temperature/raw', payload: 'AAEC/w==', encoding: 'base64' } });
  });

  it('refuses what the server would refuse, saying why', () => {
    expect(buildInjectMessage({ ...form, topic: ' ' })).toEqual({ problem: expect.stringMatching(/topic/) });
    expect(buildInjectMessage({ ...form, topic: 'sensor/#' })).toEqual({ problem: expect.stringMatching(/wildcards/) });
    expect(buildInjectMessage({ ...form, encoding: 'base64', payload: 'not base64!' })).toEqual({ problem: 'the payload is not valid base64' });
    expect(parseUserProperties('ok=1\nnovalue')).toEqual({ problem: 'user property on line 2 is not key=value' });
  });
});
