import { useTheme, type ThemeChoice } from './theme.ts';

/** The header's theme choice: System (the OS's), Light or Dark. */
export function ThemeToggle() {
  const choice = useTheme((s) => s.choice);
  const choose = useTheme((s) => s.choose);
  return (
    <label className="theme-toggle" title="Colour theme">
      <span aria-hidden>◐</span>
      <select data-testid="theme-choice" aria-label="Theme" value={choice} onChange={(e) => choose(e.target.value as ThemeChoice)}>
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
