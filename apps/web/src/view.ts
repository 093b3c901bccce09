import { useCallback, useEffect, useState } from 'react';

/** The designer's screens; the address's hash names the current one, so Back and reload keep the place. */
export type View = 'graphs' | 'dataflow' | 'definition';

const VIEWS: View[] = ['graphs', 'dataflow', 'definition'];

export function viewOfHash(hash: string): View {
  const name = hash.replace(/^#\/?/, '');
  return (VIEWS as string[]).includes(name) ? (name as View) : 'graphs';
}

export function useView(): [View, (v: View) => void] {
  const [view, setView] = useState<View>(() => viewOfHash(window.location.hash));
  useEffect(() => {
    const onHash = () => setView(viewOfHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const go = useCallback((v: View) => {
    if (window.location.hash !== `#/${v}`) window.location.hash = `/${v}`;
    setView(v);
  }, []);
  return [view, go];
}
