// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { useState } from 'react';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { LiveInput } from './LiveInput.tsx';

afterEach(cleanup);

/** A name owned by its parent, as the stores own operation and node names; `taken` are the other names. */
function Harness({ taken, applied, settled }: { taken: string[]; applied: [string, string][]; settled: string[] }) {
  const [name, setName] = useState('first');
  return (
    <LiveInput
      testId="name"
      value={name}
      problem={(t) => (!t.trim() ? 'needs a name' : taken.includes(t.trim()) ? `"${t.trim()}" is taken` : undefined)}
      onApply={(t, burst) => {
        applied.push([t, burst]);
        setName(t.trim());
      }}
      onSettle={(t) => settled.push(t)}
    />
  );
}

const field = () => screen.getByTestId('name') as HTMLInputElement;
const type = (value: string) => fireEvent.change(field(), { target: { value } });

describe('LiveInput', () => {
  it('applies every valid value as it is typed, all of one burst under the name at focus', () => {
    const applied: [string, string][] = [];
    render(<Harness taken={[]} applied={applied} settled={[]} />);
    fireEvent.focus(field());
    type('s');
    type('se');
    type('sec');
    expect(applied).toEqual([['s', 'name:first'], ['se', 'name:first'], ['sec', 'name:first']]);
    expect(field().value).toBe('sec');
  });

  it('keeps an empty or taken value in the field, explained, writes nothing, and applies once it is valid', () => {
    const applied: [string, string][] = [];
    render(<Harness taken={['other']} applied={applied} settled={[]} />);
    fireEvent.focus(field());
    type('');
    expect(screen.getByTestId('name-problem').textContent).toBe('needs a name');
    expect(field().getAttribute('aria-invalid')).toBe('true');
    type('other');
    expect(screen.getByTestId('name-problem').textContent).toBe('"other" is taken');
    expect(field().value).toBe('other');
    expect(applied).toEqual([]);
    type('other2');
    expect(applied).toEqual([['other2', 'name:first']]);
    expect(screen.queryByTestId('name-problem')).toBeNull();
  });

  it('leaving the field or Escape drops a value that could not be applied; a valid one settles', () => {
    const settled: string[] = [];
    render(<Harness taken={['other']} applied={[]} settled={settled} />);
    fireEvent.focus(field());
    type('other');
    fireEvent.blur(field());
    expect(field().value).toBe('first');
    expect(settled).toEqual([]);
    type('');
    fireEvent.keyDown(field(), { key: 'Escape' });
    expect(field().value).toBe('first');
    type('third');
    fireEvent.keyDown(field(), { key: 'Enter' });
    expect(settled).toEqual(['third']);
  });
});
