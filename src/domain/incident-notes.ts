import { AppError } from './errors.ts';

/** The report sections a note can feed, by the tag it starts with (`root-cause: expired cert`). */
export const NOTE_TAGS = [
  'summary',
  'impact',
  'root-cause',
  'resolution',
  'lesson',
  'prevention',
  'follow-up',
  'security',
] as const;
export type NoteTag = (typeof NOTE_TAGS)[number];

// Spellings people type at 3 a.m.; each maps to one tag.
const ALIASES: Record<string, NoteTag> = {
  'root-cause': 'root-cause',
  rca: 'root-cause',
  cause: 'root-cause',
  resolution: 'resolution',
  step: 'resolution',
  fix: 'resolution',
  lesson: 'lesson',
  lessons: 'lesson',
  learned: 'lesson',
  prevention: 'prevention',
  preventive: 'prevention',
  prevent: 'prevention',
  'follow-up': 'follow-up',
  followup: 'follow-up',
  todo: 'follow-up',
  summary: 'summary',
  impact: 'impact',
  security: 'security',
};

const normalise = (raw: string) =>
  raw
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');

/** A tag from operator input (`--tag root-cause`, `Root cause`); AppError bad_request naming the tags. */
export function parseNoteTag(raw: string): NoteTag {
  const tag = ALIASES[normalise(raw)];
  if (!tag) throw new AppError('bad_request', `tag: '${raw}' is not one of ${NOTE_TAGS.join(', ')}`);
  return tag;
}

/** A note's tag and its text without the tag, or no tag when it starts with none of them. */
export function splitNote(message: string): { tag: NoteTag | null; text: string } {
  const match = /^\s*([A-Za-z][A-Za-z _-]{1,20}?)\s*:\s*([\s\S]+)$/.exec(message);
  const tag = match?.[1] ? ALIASES[normalise(match[1])] : undefined;
  if (!tag || !match?.[2]) return { tag: null, text: message.trim() };
  return { tag, text: match[2].trim() };
}

/** The stored text of a note given with `--tag`: the tag as its prefix, unless it already starts with it. */
export function taggedNote(tag: NoteTag, message: string): string {
  return splitNote(message).tag === tag ? message : `${tag}: ${message}`;
}
