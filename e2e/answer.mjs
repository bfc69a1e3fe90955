// Answering questions through the page the way a candidate would, with the keyboard only, knowing
// the key from the published bank.
import assert from 'node:assert/strict';

// byStem finds a question from the stem shown; short stems repeat across scenario sets, so the
// case text decides between them.
export function byStem(bank, stem, caseText = '') {
  const all = bank.questions.filter((x) => x.stem === stem);
  const q = all.length > 1 ? all.find((x) => bank.scenarios.find((s) => s.id === x.scenario)?.case === caseText) : all[0];
  assert.ok(q, `no question with stem ${stem.slice(0, 60)}`);
  return q;
}

// shown finds the question on screen inside the given container.
export async function shown(page, bank, scope) {
  const stem = (await page.textContent(`${scope} [data-role=stem]`)).trim();
  const c = page.locator(`${scope} [data-role=case-text]`);
  const caseText = (await c.count()) && (await c.isVisible()) ? (await c.textContent()).trim() : '';
  return byStem(bank, stem, caseText);
}

async function texts(page, selector) {
  return page.$$eval(selector, (els) => els.map((e) => e.textContent.trim()));
}

// answerByKeyboard answers the question on screen. right decides whether to give the key or a
// wrong answer. It uses Tab, arrows, Space, Enter, digits: never the mouse.
export async function answerByKeyboard(page, q, right = true, scope = '') {
  const s = scope ? scope + ' ' : '';
  switch (q.type === 'hotspot' && q.grid ? 'grid' : q.type) {
    case 'single':
    case 'hotspot': {
      const shown = await texts(page, `${s}.choice [data-role=text]`);
      const key = q.choices[q.key[0]].text;
      let pos = shown.indexOf(key);
      if (!right) pos = (pos + 1) % shown.length;
      await page.keyboard.press(String(pos + 1));
      break;
    }
    case 'multi': {
      const shown = await texts(page, `${s}.choice [data-role=text]`);
      let picks = q.key.map((k) => shown.indexOf(q.choices[k].text));
      if (!right) picks = picks.slice(0, 1);
      for (const pos of picks) await page.keyboard.press(String(pos + 1));
      break;
    }
    case 'order': {
      // Selection sort with Alt+Arrow on focused steps: focus moves with the step.
      const want = q.choices.map((c) => c.text);
      if (!right) [want[0], want[1]] = [want[1], want[0]];
      for (let target = 0; target < want.length; target++) {
        const shown = await texts(page, `${s}.order-item [data-role=text]`);
        let at = shown.indexOf(want[target]);
        await page.focus(`${s}.order-item:nth-child(${at + 1})`);
        while (at > target) {
          await page.keyboard.press('Alt+ArrowUp');
          at--;
        }
      }
      break;
    }
    case 'match': {
      const items = await texts(page, `${s}.match-item`);
      const wants = items.map((it) => q.pairs.find((p) => p.item === it).match);
      if (!right) [wants[0], wants[1]] = [wants[1], wants[0]];
      for (let i = 0; i < items.length; i++) {
        const want = wants[i];
        const sel = `${s}.match-row:nth-child(${i + 1}) select`;
        await page.focus(sel);
        // Arrow keys move through the options of a focused select.
        for (let n = 0; n < 12; n++) {
          const label = await page.$eval(sel, (el) => el.options[el.selectedIndex].text);
          if (label === want) break;
          await page.keyboard.press('ArrowDown');
        }
        assert.equal(await page.$eval(sel, (el) => el.options[el.selectedIndex].text), want, 'keyboard could not reach the match');
      }
      break;
    }
    case 'grid': {
      let [row, col] = q.key;
      if (!right) col = (col + 1) % q.grid.cols.length;
      await page.focus(`${s}.hotspot-grid .cell[tabindex="0"]`);
      const start = await page.$eval(`${s}.hotspot-grid .cell[tabindex="0"]`, (b) => [b.closest('tr').rowIndex - 2, b.closest('td').cellIndex - 1]);
      for (let r = start[0]; r < row; r++) await page.keyboard.press('ArrowDown');
      for (let r = start[0]; r > row; r--) await page.keyboard.press('ArrowUp');
      for (let c = start[1]; c < col; c++) await page.keyboard.press('ArrowRight');
      for (let c = start[1]; c > col; c--) await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('Enter');
      break;
    }
    default:
      throw new Error('unknown type ' + q.type);
  }
}

// tabTo presses Tab until the element matching selector has the focus, as a keyboard user would.
export async function tabTo(page, selector) {
  for (let i = 0; i < 60; i++) {
    if (await page.evaluate((sel) => document.activeElement?.matches(sel), selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('Tab never reached ' + selector);
}
