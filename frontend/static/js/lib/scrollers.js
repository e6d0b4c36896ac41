// A table wider than the screen scrolls sideways inside its box. The box
// says so: a hint above it, and a shadow on the edge where more columns
// wait, which goes once the reader has scrolled to the end.

import { h } from './dom.js';
import { t } from './i18n.js';

const BOXES = '.table-wrap, .cond-table-wrap';

function atEnd(box) {
  box.classList.toggle('at-end', box.scrollLeft + box.clientWidth >= box.scrollWidth - 1);
}

function watch(box) {
  if (box.dataset.scrollWatched) return;
  box.dataset.scrollWatched = '1';
  box.addEventListener('scroll', () => atEnd(box), { passive: true });
}

// All boxes are measured first and changed after, so that a page with
// hundreds of tables is laid out once, not once per table.
// A box inside a closed <details> is left alone (measuring it would lay
// out the folded content, slow on the API reference's thousand tables);
// it is marked when its details opens.
function markAll(root) {
  const seen = [...root.querySelectorAll(BOXES)].filter((box) => !box.closest('details:not([open])')).map((box) => ({
    box,
    shown: box.getClientRects().length > 0,
    over: box.scrollWidth > box.clientWidth + 1,
    end: box.scrollLeft + box.clientWidth >= box.scrollWidth - 1,
  }));
  for (const { box, shown, over, end } of seen) {
    if (!shown) continue;
    box.classList.toggle('scrolls', over);
    box.classList.toggle('at-end', end);
    const prev = box.previousElementSibling;
    let hint = prev && prev.classList.contains('scroll-hint') ? prev : null;
    if (over && !hint) {
      hint = h('p', { class: 'scroll-hint', 'aria-hidden': 'true' }, t('common.scrollHint'));
      box.before(hint);
    }
    if (hint) hint.hidden = !over;
    watch(box);
  }
}

/**
 * watchScrollers(root) marks root's table boxes now, whenever content is
 * added (pages fill in parts after rendering) and when the window resizes.
 */
export function watchScrollers(root) {
  let queued = false;
  const run = () => {
    queued = false;
    markAll(root);
  };
  const later = () => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(run);
    }
  };
  new MutationObserver(later).observe(root, { childList: true, subtree: true });
  root.addEventListener('toggle', later, true); // <details> opening does not bubble
  window.addEventListener('resize', later);
  later();
}
