// One stylesheet for every page, inlined (no asset route, no build step). Colours keep a contrast
// of at least 4.5:1 on white; focus is always visible; nothing is wider than a 360 px phone.
export const SITE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff;overflow-wrap:anywhere}
a{color:#0b57d0}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.skip{position:absolute;left:-9999px}
.skip:focus{left:8px;top:8px;background:#fff;padding:6px 10px;z-index:10}
.site-header{border-bottom:1px solid #d0d7de;background:#f6f8fa}
.site-header .inner,.site-main,.site-footer .inner{max-width:1040px;margin:0 auto;padding:0 16px}
.site-header .inner{display:flex;flex-wrap:wrap;align-items:center;gap:8px 16px;padding-top:10px;padding-bottom:10px}
.brand{font-weight:700;color:#1a1a1a;text-decoration:none;margin-right:auto}
.site-nav ul{display:flex;flex-wrap:wrap;gap:4px 14px;list-style:none;margin:0;padding:0;align-items:center}
.site-nav a[aria-current="page"]{font-weight:700;text-decoration:none;color:#1a1a1a}
.site-nav form{margin:0}
.site-main{padding-top:16px;padding-bottom:32px}
.site-footer{border-top:1px solid #d0d7de;color:#4a4a4a;font-size:14px}
.site-footer .inner{padding-top:12px;padding-bottom:24px;display:flex;flex-wrap:wrap;gap:8px 16px}
h1{font-size:1.6rem;line-height:1.25;margin:.4em 0 .6em}
h2{font-size:1.25rem;margin:1.4em 0 .5em}
table{border-collapse:collapse;width:100%}
.table-wrap{overflow-x:auto;max-width:100%}
th,td{padding:6px 8px;border-bottom:1px solid #d0d7de;text-align:left;vertical-align:top}
th{font-weight:600}
label{display:block;margin:.5em 0 .2em;font-weight:600}
input,select,textarea{font:inherit;padding:6px 8px;border:1px solid #6e7781;border-radius:4px;max-width:100%}
input[type="checkbox"],input[type="radio"]{width:auto}
input:not([type="checkbox"]):not([type="radio"]),select,textarea{width:100%}
button,.button{font:inherit;display:inline-block;padding:7px 14px;border-radius:4px;border:1px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer;text-decoration:none}
button.secondary,.button.secondary{background:#fff;color:#0b57d0}
button.danger{background:#b3261e;border-color:#b3261e}
button:disabled{background:#e6e6e6;border-color:#8c8c8c;color:#4a4a4a;cursor:not-allowed}
fieldset{border:1px solid #d0d7de;border-radius:6px;margin:1em 0;padding:8px 12px}
legend{font-weight:600;padding:0 4px}
.field{margin-bottom:10px}
.field-error{color:#b3261e;font-size:14px;margin:.2em 0 0}
.hint{color:#4a4a4a;font-size:14px;margin:.2em 0 0}
.notice{padding:8px 12px;margin:0 0 1em;border-radius:4px;border:1px solid #1a7f37;background:#dafbe1}
.notice.error{border-color:#b3261e;background:#ffebe9}
.notice.warning,.mode-banner{border:1px solid #9a6700;background:#fff8c5;padding:8px 12px;margin:0 0 1em;border-radius:4px}
.mode-banner p{margin:.2em 0}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:12px}
.card{border:1px solid #d0d7de;border-radius:8px;padding:12px 14px}
.card.current{border:2px solid #1a7f37}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:10px}
.stat{border:1px solid #d0d7de;border-radius:6px;padding:8px 12px}
.stat .value{font-size:1.3rem;font-weight:700}
.badge{display:inline-block;padding:0 6px;border-radius:10px;border:1px solid #6e7781;font-size:13px}
.inline-form{display:inline}
.actions{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:.6em 0}
meter,progress{width:100%;height:1.1em}
/* pricing */
.inline-label{display:inline;font-weight:400;margin-right:12px}
.card.chosen{outline:3px solid #0b57d0;outline-offset:2px}
.price strong{font-size:1.4rem}
/* blueprints: content keeps its lines but wraps on a phone */
.blueprint-content{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:8px 12px}
#blueprint-list li{margin:.3em 0}
.delete-details summary{cursor:pointer;color:#b3261e;font-size:14px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
/* admin records: the incident report, wrapped so a phone never scrolls sideways */
pre.report{white-space:pre-wrap;background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:10px 12px;font-size:14px}
/* /account: payments keep whole words (the table scrolls in its wrapper); radio labels read as text */
#payments th,#payments td{overflow-wrap:normal}
label.inline-form{font-weight:400}
/* admin-ops (/admin/webhooks): headers stay whole; the table scrolls inside .table-wrap */
#webhook-events th{white-space:nowrap;overflow-wrap:normal}
`;
