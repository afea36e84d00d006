import { readdirSync, readFileSync } from 'node:fs';

const ROOT = new URL('../fixtures/razorpay/', import.meta.url);

/** One of Razorpay's published samples: its file name, exact text and parsed JSON. */
export type RazorpaySample = { file: string; text: string; json: Record<string, unknown> };

function read(folder: 'responses' | 'events', file: string): RazorpaySample {
  const text = readFileSync(new URL(`${folder}/${file}`, ROOT), 'utf8');
  return { file, text, json: JSON.parse(text) as Record<string, unknown> };
}

/** A documented API response by file name (test/fixtures/razorpay/responses). */
export const responseSample = (file: string): RazorpaySample => read('responses', file);

/** Every stored sample of one folder, sorted by file name. */
export function allSamples(folder: 'responses' | 'events'): RazorpaySample[] {
  return readdirSync(new URL(`${folder}/`, ROOT))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => read(folder, f));
}
