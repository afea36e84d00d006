// The emulator's clock steps: bare seconds and a week unit, unlike the operator durations in domain/flags.ts.
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Parses `90`, `45s`, `30m`, `12h`, `31d` or `2w` into seconds; null when unreadable. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+)([smhdw]?)$/.exec(text.trim());
  return match ? Number(match[1]) * (UNITS[match[2] || 's'] ?? 1) : null;
}
