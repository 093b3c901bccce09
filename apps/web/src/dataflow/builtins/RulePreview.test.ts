import { describe, expect, it } from 'vitest';
import { nodeInput, nodeOutput } from './RulePreview.tsx';
import type { Sample } from '../../preview/messages.ts';

let seq = 0;
const s = (operation: string, event: Sample['event'], data = '{}'): Sample => ({ seq: ++seq, operation, event, at: 0, item: { encoding: 'json', data } });

describe('a node\'s latest input and output in a data-flow preview', () => {
  it('reads its graph\'s source and sinks (or its newest drop)', () => {
    const samples = {
      'convert/source': [s('convert/source', 'out', '{"a":1}')],
      'convert/map': [s('convert/map', 'in'), s('convert/map', 'out')],
      'convert/sink': [s('convert/sink', 'in', '{"b":1}')],
      'split/output.false': [s('split/output.false', 'in')],
      'converter/source': [s('converter/source', 'out', '{"other":1}')],
    };
    expect(nodeInput(samples, 'convert')?.item.data).toBe('{"a":1}');
    expect(nodeOutput(samples, 'convert')?.item.data).toBe('{"b":1}');
    expect(nodeOutput(samples, 'split')?.operation).toBe('split/output.false');
    samples['convert/map'].push(s('convert/map', 'drop'));
    expect(nodeOutput(samples, 'convert')?.event).toBe('drop');
    expect(nodeInput(samples, 'nothing')).toBeUndefined();
  });
});
