/** The longest value each free-text field a user can send may have, in characters. */
export const FIELD_LIMITS = {
  name: 200,
  email: 254,
  image: 2048,
  password: 128,
  url: 2048,
  blueprintTitle: 200,
  /** Any other string a client sends (unknown fields, tokens); known fields have their own. */
  other: 1024,
} as const;

/** The most bytes a blueprint's content may take once serialised as JSON. */
export const BLUEPRINT_CONTENT_BYTES = 256 * 1024;

/** How deeply JSON bodies may nest: objects and arrays within each other. */
export const MAX_JSON_DEPTH = 32;

/**
 * The deepest nesting of objects and arrays in JSON text, counted without parsing (so without
 * recursion), stopping once past `limit`; brackets inside strings do not count.
 */
export function jsonDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return deepest;
}

/** The path (`a.b.0`) of the first string in a JSON value, key or value, that holds a NUL character; null when none does. */
export function findNul(value: unknown, path = ''): string | null {
  const at = (key: string) => (path ? `${path}.${key}` : key);
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], at(String(i)));
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key.includes('\u0000')) return at(key.replaceAll('\u0000', '\\u0000'));
      const found = findNul(inner, at(key));
      if (found) return found;
    }
  }
  return null;
}
