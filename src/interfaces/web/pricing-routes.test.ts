import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { resetFlags } from '../../../test/support/flags.ts';
import { appOverSuiteDatabase, signedUp } from '../../../test/support/security.ts';
import { setFlag } from '../../services/flags/set-flag.ts';

const HTML = 'text/html,application/xhtml+xml';

/** The opening tag of the element with this id, or null. */
const tagOf = (html: string, id: string) =>
  new RegExp(`<[a-z]+[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0] ?? null;
/** The text of the element with this id (tags stripped), or null. */
function textOf(html: string, id: string): string | null {
  const match = new RegExp(`<([a-z]+)[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return match
    ? match[2]!
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim()
    : null;
}

describeEachBackend('/pricing, /api/plans/quote and /api/modes', { migrated: true }, (get) => {
  const h = appOverSuiteDatabase(get);
  const page = async (path: string, cookie?: string) => {
    const res = await h.app.request(path, { headers: { accept: HTML, ...(cookie ? { cookie } : {}) } });
    return { status: res.status, html: await res.text() };
  };

  it('a visitor sees a card per plan priced for the cycle, the yearly saving, and a way to sign up that comes back to the plan', async () => {
    const { status, html } = await page('/pricing');
    expect(status).toBe(200);
    for (const tier of [
      'free',
      'explorer',
      'navigator',
      'voyager',
      'crew',
      'fleet',
      'armada',
      'enterprise',
      'developer',
    ]) {
      expect(tagOf(html, `plan-${tier}`), tier).not.toBeNull();
    }
    expect(textOf(html, 'plan-developer')).toContain('Not sold online');
    expect(html).not.toContain('data-tier="developer"');
    expect(tagOf(html, 'cycle-monthly')).toContain('checked');
    expect(textOf(html, 'price-navigator')).toBe('₹3,499');
    expect(textOf(html, 'per-crew')).toBe('per seat a month');
    expect(textOf(html, 'saving-navigator')).toBe('Yearly saves ₹6,998 against paying monthly.');
    expect(html).toContain('Yearly (save 2 months)');
    expect(html).toMatch(
      /<form method="get" action="\/sign-up"[^>]*><input type="hidden" name="next" value="\/pricing\?plan=navigator&amp;cycle=monthly"/,
    );
    expect(html).toMatch(/<button type="submit" data-tier="navigator" class="buy">/);
    expect(html).toContain('href="/sign-in?next=%2Fpricing%3Fplan%3Dnavigator%26cycle%3Dmonthly"');
    expect(html).not.toContain('id="visitor"');
  });

  it('the chosen plan is highlighted; yearly and seats are priced by the server', async () => {
    const { html } = await page('/pricing?plan=crew&cycle=yearly&seats-crew=5');
    expect(tagOf(html, 'plan-crew')).toContain('class="card chosen"');
    expect(textOf(html, 'chosen-plan')).toBe('You chose Crew, billed yearly. Sign up or sign in to buy it.');
    expect(tagOf(html, 'cycle-yearly')).toContain('checked');
    expect(textOf(html, 'price-crew')).toBe('₹19,990');
    expect(textOf(html, 'total-crew')).toBe('₹99,950 a year for 5 seats');
    expect(tagOf(html, 'seats-crew')).toContain('value="5"');
    expect(textOf(html, 'total-fleet')).toBe('₹53,990 a year for 1 seat');
  });

  it.each([
    ['0', 'Seats must be a whole number from 1 to 1000'],
    ['1001', 'Seats must be a whole number from 1 to 1000'],
    ['2.5', 'Seats must be a whole number from 1 to 1000'],
    ['lots', 'Seats must be a whole number from 1 to 1000'],
  ])(
    'seats=%s is refused beside the seats field (400) and the card keeps one seat’s price',
    async (seats, message) => {
      const { status, html } = await page(`/pricing?seats-fleet=${seats}`);
      expect(status).toBe(400);
      expect(textOf(html, 'seats-fleet-error')).toBe(message);
      expect(tagOf(html, 'seats-fleet')).toContain('aria-describedby="total-fleet seats-fleet-error"');
      expect(textOf(html, 'total-fleet')).toBe('₹5,399 a month for 1 seat');
    },
  );

  it('a stale cycle or plan in the link falls back to the defaults', async () => {
    const { status, html } = await page('/pricing?cycle=weekly&plan=gold');
    expect(status).toBe(200);
    expect(tagOf(html, 'cycle-monthly')).toContain('checked');
    expect(html).not.toContain('id="chosen-plan"');
  });

  it('a signed-in user sees their current plan marked and buy buttons; payments off disables them with the banner', async () => {
    const { cookie } = await signedUp(h.app, get().db, 'pricing-page@example.com');
    const normal = await page('/pricing', cookie);
    expect(textOf(normal.html, 'visitor')).toContain('free plan');
    expect(tagOf(normal.html, 'plan-free')).toContain('class="card current"');
    expect(textOf(normal.html, 'plan-free')).toContain('Current plan');
    expect(normal.html).toMatch(/<button type="button" data-tier="navigator" class="buy">/);
    expect(normal.html).not.toContain('id="mode-banner"');
    await setFlag({
      ctx: h.t.ctx,
      input: {
        name: 'payments',
        state: 'off',
        reason: 'internal: card network',
        message: 'Razorpay incident',
        actor: 'test',
      },
    });
    try {
      const off = await page('/pricing', cookie);
      expect(textOf(off.html, 'banner-payments')).toBe('Payments are paused: Razorpay incident');
      expect(off.html).toMatch(/<button type="button" data-tier="navigator" class="buy" disabled/);
      const modes = await h.app.request('/api/modes');
      expect(modes.headers.get('cache-control')).toBe('no-store');
      const body = await modes.json();
      expect(body).toEqual({
        payments: { active: true, message: 'Razorpay incident' },
        maintenance: { active: false, message: null },
        read_only: { active: false, message: null },
        can_buy: false,
        banner: [{ id: 'payments', text: 'Payments are paused: Razorpay incident' }],
      });
      expect(JSON.stringify(body)).not.toContain('card network');
    } finally {
      await resetFlags(get().db);
    }
    expect(await (await h.app.request('/api/modes')).json()).toMatchObject({ can_buy: true, banner: [] });
  });

  it('GET /api/plans/quote prices tier, cycle and seats like checkout, and names the bad field', async () => {
    const good = await h.app.request('/api/plans/quote?tier=armada&cycle=monthly&seats=3');
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({
      quote: { tier: 'armada', cycle: 'monthly', seats: 3, unitPaise: 1_089_900, amountPaise: 3_269_700 },
      text: { unit: '₹10,899', per: 'per seat a month', total: '₹32,697 a month for 3 seats' },
    });
    for (const [query, message] of [
      ['tier=navigator&cycle=monthly&seats=2', 'seats: only team tiers'],
      ['tier=free&cycle=monthly', 'tier: free cannot be bought through checkout'],
      ['tier=crew&cycle=weekly', 'cycle:'],
      ['tier=crew&cycle=monthly&seats=0', 'seats: must be a whole number from 1 to 1000'],
      ['tier=crew&cycle=monthly&price=1', 'price: not accepted; the server sets the plan and price'],
      ['tier=crew&cycle=monthly&foo=1', 'unknown field: foo'],
    ] as const) {
      const res = await h.app.request(`/api/plans/quote?${query}`);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect([query, res.status, body.error.code]).toEqual([query, 400, 'bad_request']);
      expect(body.error.message).toContain(message);
    }
  });
});
