import { handle } from 'hono/vercel';
import { createVercelApp } from '../src/wiring/vercel.ts';

/** Vercel's function for every path (vercel.json rewrites them here): the whole product. */
export default handle(createVercelApp().app);
