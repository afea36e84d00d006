import type { FlagsView } from '../../domain/flags.ts';

const BANNER_STYLE = 'padding:8px 12px;margin:0 0 1em;background:#fff4ce;border:1px solid #e0b400';

/** The active modes as people read them; payments only where the page sells something. */
export function bannerLines(flags: FlagsView, withPayments: boolean): { id: string; text: string }[] {
  const { maintenance, read_only: readOnly, payments } = flags.byName;
  const lines: { id: string; text: string }[] = [];
  if (maintenance.active)
    lines.push({ id: 'maintenance', text: `Maintenance: ${maintenance.message ?? 'changes are paused'}` });
  if (readOnly.active)
    lines.push({
      id: 'read-only',
      text: `Read-only: ${readOnly.message ?? 'nothing can be changed for now'}`,
    });
  if (withPayments && payments.active)
    lines.push({
      id: 'payments',
      text: `Payments are paused: ${payments.message ?? 'no new subscriptions or plan changes for now'}`,
    });
  return lines;
}

/** The banner every page shows while maintenance or read-only is on (and, on /pricing, payments off). */
export function ModeBanner(props: { flags: FlagsView; withPayments?: boolean }) {
  const lines = bannerLines(props.flags, props.withPayments ?? false);
  if (lines.length === 0) return null;
  return (
    <div id="mode-banner" class="mode-banner" role="alert" style={BANNER_STYLE}>
      {lines.map((line) => (
        <p id={`banner-${line.id}`}>{line.text}</p>
      ))}
    </div>
  );
}

/** Whether the page may offer to buy: checkout and plan changes are refused in every mode. */
export function canBuy(flags: FlagsView): boolean {
  return flags.flags.every((f) => !f.active);
}
