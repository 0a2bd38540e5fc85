// The console in real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
// what a clinic admin and a vendor do, against a real `mamori-collector serve`. Run by
// tests/integration/console_browser_test.cc, which starts the collector with fixture agents and
// writes the config (a JSON file named by the first argument or MAMORI_CONSOLE_E2E_CONFIG):
//   {url, caFile, artifacts, admin: {name, password}, vendor: {name, password},
//    expected: {hosts, compliant, notCompliant, unknown}, hostileHost, hostileAccount,
//    review: {host, account}, reportPrefix}
// Exit 0 when every check passed; 1 with the failed check on stderr. Screenshots of every page go
// to <artifacts>/console-screenshots/.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import {chromium} from 'playwright-core';

const config = JSON.parse(fs.readFileSync(process.argv[2] || process.env.MAMORI_CONSOLE_E2E_CONFIG, 'utf8'));
const shots = path.join(config.artifacts, 'console-screenshots');
fs.mkdirSync(shots, {recursive: true});
const started = Date.now();
const log = (text) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${text}`);

// Trust: the console's certificate must chain to the collector's own CA (checked here by Node with
// that CA as the only root); Chromium is then told to accept exactly that server key (its SPKI
// hash), not every certificate.
async function verifiedSpkiHash(url, caFile) {
  const {hostname, port} = new URL(url);
  const ca = fs.readFileSync(caFile);
  const certificate = await new Promise((resolve, reject) => {
    const socket = tls.connect({host: hostname, port: Number(port), ca, servername: undefined,
                                rejectUnauthorized: true}, () => {
      const peer = socket.getPeerX509Certificate();
      socket.end();
      resolve(peer);
    });
    socket.on('error', reject);
  });
  const spki = certificate.publicKey.export({type: 'spki', format: 'der'});
  return crypto.createHash('sha256').update(spki).digest('base64');
}

// Chromium's messages that are expected: the 401 of GET /api/session before anyone has logged in,
// and the 401s of the session-expiry check (flagged while it runs).
let expect401 = false;
function isExpected(message) {
  const url = message.location()?.url || '';
  return /status of 401/.test(message.text()) && (url.endsWith('/api/session') || expect401);
}

async function openPage(browser, problems) {
  const context = await browser.newContext({
    viewport: {width: 1280, height: 800}, locale: 'ja-JP', timezoneId: 'Asia/Tokyo', acceptDownloads: true,
  });
  // A CSP violation is reported to the page; record it where the test can read it.
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('console', (message) => {
    if ((message.type() === 'error' || message.type() === 'warning') && !isExpected(message)) {
      problems.push(`console ${message.type()}: ${message.text()} (${message.location()?.url || ''})`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A navigation aborts the requests of the page it leaves (net::ERR_ABORTED): not a fault.
    if (!request.url().startsWith('blob:') && request.failure()?.errorText !== 'net::ERR_ABORTED') {
      problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
    }
  });
  return {context, page};
}

async function shot(page, name) {
  const file = path.join(shots, `${name}.png`);
  await page.screenshot({path: file, fullPage: true});
}

// Clicks a menu link and waits for its page's heading.
async function go(page, label, heading = label) {
  await page.getByRole('navigation').getByRole('link', {name: label, exact: true}).click();
  await page.locator('#page h1', {hasText: heading}).waitFor();
}

async function assertInert(page, where) {
  const state = await page.evaluate(() => ({
    xss: window.__xss,
    injected: document.querySelectorAll('img[src="x"], script:not([src])').length,
    csp: window.__cspViolations || [],
  }));
  assert.equal(state.xss, undefined, `${where}: hostile text ran as code`);
  assert.equal(state.injected, 0, `${where}: hostile text became markup`);
  assert.deepEqual(state.csp, [], `${where}: CSP violations`);
}

async function login(page, user) {
  await page.goto(`${config.url}/`);
  await page.locator('#login-form').waitFor();
  await page.fill('#login-name', user.name);
  await page.fill('#login-password', user.password);
  await page.click('#login-submit');
  await page.locator('[data-number="ok"]').waitFor();
}

async function adminFlow(browser, problems) {
  const {context, page} = await openPage(browser, problems);
  await page.goto(`${config.url}/`);
  await page.locator('#login-form').waitFor();
  await shot(page, '01-login');
  // A wrong password is refused with a message, in the alert region.
  await page.fill('#login-name', config.admin.name);
  await page.fill('#login-password', 'not the password 123');
  expect401 = true;
  await page.click('#login-submit');
  await page.locator('#alert', {hasText: '名前またはパスワードが違います'}).waitFor();
  expect401 = false;
  await login(page, config.admin);
  log('admin logged in');

  // The dashboard's numbers are the database's.
  const numbers = {};
  for (const kind of ['ok', 'bad', 'unknown']) {
    numbers[kind] = Number(await page.locator(`[data-number="${kind}"]`).textContent());
  }
  assert.deepEqual(numbers, {ok: config.expected.compliant, bad: config.expected.notCompliant,
                             unknown: config.expected.unknown}, 'dashboard tiles');
  assert.match(await page.locator('#page .lead').first().textContent(), new RegExp(`PC ${config.expected.hosts}台`));
  assert.equal(await page.locator('#demo-banner').isHidden(), true, 'no demo banner for a real clinic');
  for (const word of ['適合', '要対応', '不明']) {
    await page.locator('.tiles .light', {hasText: word}).first().waitFor();
  }
  await page.locator('#trend-chart path.line').waitFor({state: 'attached'});
  await assertInert(page, 'dashboard');
  await shot(page, '02-dashboard');

  // Hosts: the hostile host name is shown as text, and nothing ran.
  await go(page, '端末一覧');
  await page.getByRole('link', {name: config.hostileHost, exact: true}).waitFor();
  await assertInert(page, 'hosts');
  await shot(page, '03-hosts');
  await page.getByRole('link', {name: config.review.host, exact: true}).first().click();
  await page.locator('#page h1', {hasText: config.review.host}).waitFor();
  await page.locator('#host-facts').waitFor();
  await page.getByRole('heading', {name: '対応が必要な項目'}).waitFor();
  await shot(page, '04-host-detail');

  // Accounts: review one as an admin; the hostile account name is text.
  await go(page, 'アカウント棚卸し');
  await page.getByText(config.hostileAccount, {exact: true}).first().waitFor();
  await assertInert(page, 'accounts');
  const row = page.locator(`tr[data-account="${config.review.account}"][data-host="${config.review.host}"]`);
  await row.locator('input.review-note').fill('受付で使用中（e2e）');
  await row.locator('button[data-decision="KEEP"]').click();
  await page.locator('.notice', {hasText: '記録しました'}).waitFor();
  await row.locator('.light', {hasText: '確認済み'}).waitFor();
  await shot(page, '05-accounts');

  for (const [label, name] of [['電源・放置端末', '06-power'], ['USB', '07-usb'], ['台帳', '08-ledger']]) {
    await go(page, label);
    await page.locator('#page .lead').waitFor();
    await assertInert(page, label);
    await shot(page, name);
  }

  // Evidence: record a BCP drill held today.
  await go(page, '証跡（院内の記録）');
  await page.selectOption('#evidence-kind', 'DRILL');
  await page.locator('#evidence-date').waitFor();
  await page.fill('#evidence-notes', '停電とランサムウェアを想定した訓練（e2e）');
  await page.click('#evidence-submit');
  await page.locator('.notice', {hasText: '記録しました'}).waitFor();
  await page.locator('tr[data-kind="ORG_RECORD_KIND_DRILL"]').first().waitFor();
  await shot(page, '09-evidence');

  // The clinic's name, recorded here, heads every page from the dashboard on; a hostile one is text.
  const clinicName = `e2e 診療所 ${config.hostileHost}`;
  await page.selectOption('#evidence-kind', 'CLINIC');
  await page.locator('#evidence-name').waitFor();
  await page.fill('#evidence-name', clinicName);
  await page.click('#evidence-submit');
  await page.locator('tr[data-kind="ORG_RECORD_KIND_CLINIC"]').first().waitFor();
  await go(page, 'ダッシュボード');
  await page.locator('#clinic-name', {hasText: clinicName}).waitFor();
  assert.equal(await page.locator('#clinic-name').textContent(), clinicName, 'clinic name in the header');
  await assertInert(page, 'clinic name');

  // Reports: the visit report, saved under the collector's file name.
  await go(page, 'レポート');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('tr[data-kind="VISIT"] button[data-format="HTML"]').click(),
  ]);
  const fileName = download.suggestedFilename();
  assert.match(fileName, new RegExp(`^${config.reportPrefix}visit-\\d{8}\\.html$`), 'report file name');
  const saved = path.join(config.artifacts, fileName);
  await download.saveAs(saved);
  const html = fs.readFileSync(saved, 'utf8');
  assert.match(html, /<html/i, 'the visit report is HTML');
  assert.ok(html.includes('保守点検報告書'), 'the visit report is the 保守点検報告書');
  await page.locator('#report-status .notice', {hasText: fileName}).waitFor();
  await shot(page, '10-reports');

  // Enrollment tokens: the new token is shown once.
  await go(page, '登録トークン');
  await page.fill('#token-label', '受付PC 入れ替え（e2e）');
  await page.click('#token-submit');
  const token = (await page.locator('#new-token').textContent()).trim();
  assert.ok(token.length >= 16, 'a token is shown');
  await shot(page, '11-tokens');

  await go(page, '監査ログ');
  await page.locator('table[data-table="audit"] td', {hasText: 'RecordAccountReview'}).first().waitFor();
  await shot(page, '12-audit');

  // English, remembered across a reload.
  await page.click('#lang-toggle');
  await page.locator('#page h1', {hasText: 'Audit log'}).waitFor();
  await page.reload();
  await page.locator('#page h1', {hasText: 'Audit log'}).waitFor();
  await go(page, 'Dashboard');
  await shot(page, '13-dashboard-en');
  await page.click('#lang-toggle');
  await page.locator('#page h1', {hasText: 'ダッシュボード'}).waitFor();

  // The session ends on the server (cookie gone): the next request returns to the login page.
  await context.clearCookies();
  expect401 = true;
  await go(page, '端末一覧', 'ログイン').catch(() => {});
  await page.locator('#alert', {hasText: 'セッションの有効期限が切れました'}).waitFor();
  await page.locator('#login-form').waitFor();
  expect401 = false;
  assert.equal(await page.locator('#nav').isHidden(), true, 'no menu without a session');
  await shot(page, '14-session-expired');
  await context.close();
  log('admin flow done');
}

async function vendorFlow(browser, problems) {
  const {context, page} = await openPage(browser, problems);
  await login(page, config.vendor);
  const menu = await page.getByRole('navigation').getByRole('link').allTextContents();
  assert.ok(!menu.includes('登録トークン') && !menu.includes('監査ログ'), `vendor menu: ${menu}`);
  // Read-only: no button that changes anything on the pages an admin changes things on.
  for (const label of ['アカウント棚卸し', '台帳', '証跡（院内の記録）']) {
    await go(page, label);
    await page.locator('#page .lead').waitFor();
    assert.equal(await page.locator('#page button').count(), 0, `vendor sees change buttons on ${label}`);
    assert.equal(await page.locator('#page form').count(), 0, `vendor sees a form on ${label}`);
    await assertInert(page, `vendor ${label}`);
  }
  await shot(page, '15-vendor-evidence');
  await page.goto(`${config.url}/#/tokens`);
  await page.locator('#page', {hasText: '管理者だけ'}).waitFor();
  assert.equal(await page.locator('#page button').count(), 0);
  await context.close();
  log('vendor flow done');
}

// The page locks itself after the session's idle time without a key press or click: Chromium's
// clock is Playwright's fake one, moved forward instead of waited for. Activity resets the count;
// the lock leaves no data on the page, and the session it ended is ended on the server too.
async function idleLockFlow(browser, problems) {
  const {context, page} = await openPage(browser, problems);
  await page.clock.install();
  await login(page, config.admin);
  const idle = await page.evaluate(async () => {
    const response = await fetch('/api/session', {credentials: 'same-origin', cache: 'no-store'});
    return (await response.json()).idleTimeoutSeconds;
  });
  assert.equal(idle, 900, 'the server\'s idle timeout is 15 minutes');
  await go(page, '端末一覧');
  await page.getByRole('link', {name: config.hostileHost, exact: true}).waitFor();
  const cookies = await context.cookies();

  // 10 minutes idle, a click, 10 more: still in (the click counted as activity).
  await page.clock.fastForward('10:00');
  await page.locator('#page h1').click();
  await page.clock.fastForward('10:00');
  await page.waitForTimeout(200);
  assert.equal(await page.locator('#login-form').count(), 0, 'locked although a click was 10 minutes ago');
  assert.equal(await page.locator('#nav').isHidden(), false, 'menu gone before the idle time');

  // 5 more minutes and the next check (every 5 s): locked, with the reason, and no data left.
  const logout = page.waitForResponse((r) => r.url().endsWith('/api/logout'));
  await page.clock.fastForward('05:10');
  await page.locator('#alert', {hasText: '15分間操作がなかったため'}).waitFor();
  await page.locator('#login-form').waitFor();
  assert.equal(await page.locator('#nav').isHidden(), true, 'no menu after the idle lock');
  assert.equal(await page.getByText(config.hostileHost).count(), 0, 'host list still on the page after the lock');
  await shot(page, '16-idle-lock');

  // The page logged the session out on the server: its old cookie is refused.
  assert.equal((await logout).status(), 204, 'the idle lock\'s logout');
  await context.addCookies(cookies);
  const status = await page.evaluate(async () => (await fetch('/api/session',
      {credentials: 'same-origin', cache: 'no-store'})).status);
  assert.equal(status, 401, 'the idle-locked session still works on the server');
  await context.close();
  log('idle lock flow done');
}

async function main() {
  const spki = await verifiedSpkiHash(config.url, config.caFile);
  const browser = await chromium.launch({
    executablePath: process.env.MAMORI_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [`--ignore-certificate-errors-spki-list=${spki}`, '--no-first-run', '--disable-gpu'],
  });
  log(`chromium ${browser.version()} started`);
  const problems = [];
  try {
    await adminFlow(browser, problems);
    await vendorFlow(browser, problems);
    await idleLockFlow(browser, problems);
  } finally {
    await browser.close();
  }
  assert.deepEqual(problems, [], 'console errors, page errors or failed requests');
  log(`all checks passed; screenshots in ${shots}`);
}

main().catch((error) => {
  console.error(`console_e2e FAILED: ${error.stack || error}`);
  console.error(`screenshots so far: ${shots}`);
  process.exit(1);
});
