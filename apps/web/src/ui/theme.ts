/**
 * Light or dark: follows the OS (`prefers-color-scheme`) unless the header's
 * choice says otherwise; the choice is remembered in localStorage. The
 * resolved theme sits on <html data-theme> (CSS variables in styles.css),
 * and Monaco and React Flow read it from this store.
 */
import { create } from 'zustand';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_KEY = 'wgs.theme';
const CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

/** A stored value as a choice ('system' for anything unknown or missing). */
export function parseChoice(raw: string | null | undefined): ThemeChoice {
  return CHOICES.includes(raw as ThemeChoice) ? (raw as ThemeChoice) : 'system';
}

export function resolveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  if (choice === 'system') return systemDark ? 'dark' : 'light';
  return choice;
}

interface ThemeState {
  choice: ThemeChoice;
  systemDark: boolean;
  theme: Theme;
  choose(choice: ThemeChoice): void;
}

const query = () => (typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : undefined);
const storage = () => (typeof window !== 'undefined' ? window.localStorage : undefined);

function showOnPage(theme: Theme) {
  if (typeof document === 'undefined') return;
  document.documentElement.dataset.theme = theme;
  // Native controls and scrollbars follow too.
  document.documentElement.style.colorScheme = theme;
}

export const useTheme = create<ThemeState>((set, get) => {
  const choice = parseChoice(storage()?.getItem(THEME_KEY));
  const systemDark = !!query()?.matches;
  query()?.addEventListener('change', (e) => {
    const theme = resolveTheme(get().choice, e.matches);
    showOnPage(theme);
    set({ systemDark: e.matches, theme });
  });
  const theme = resolveTheme(choice, systemDark);
  showOnPage(theme);
  return {
    choice,
    systemDark,
    theme,
    choose(next) {
      if (next === 'system') storage()?.removeItem(THEME_KEY);
      else storage()?.setItem(THEME_KEY, next);
      const resolved = resolveTheme(next, get().systemDark);
      showOnPage(resolved);
      set({ choice: next, theme: resolved });
    },
  };
});
