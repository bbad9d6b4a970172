// SPDX-License-Identifier: GPL-3.0-or-later
// Drives Debian's chromium (headless, via playwright-core) through the
// clinicians' web page; prints TAP lines (ok - / not ok -) for
// tests/clinic/web.sh. Environment: BASE (https://127.0.0.1:PORT), SCREENS
// (where the screenshots go, or empty), ANNA, CARA, ODD (patient ids),
// ANNA_LATEST, CARA_SESSION (session ids), CHROMIUM (the browser).
'use strict';
const { chromium } = require('playwright-core');

const env = process.env;
const BASE = env.BASE;
let failures = 0;

function ok(cond, what, detail) {
    if (cond) {
        console.log(`ok - ${what}`);
    } else {
        failures++;
        console.log(`not ok - ${what}`);
        if (detail !== undefined) console.log(`#   ${String(detail).split('\n').join('\n#   ')}`);
    }
}

async function shot(page, name, opts = {}) {
    if (!env.SCREENS) return;
    await page.screenshot({ path: `${env.SCREENS}/clinic-${name}.png`, ...opts });
}

async function login(page, user, password) {
    await page.goto(`${BASE}/login`);
    await page.fill('#login', user);
    await page.fill('#password', password);
    const [resp] = await Promise.all([
        page.waitForNavigation(),
        page.click('button:has-text("Log in")'),
    ]);
    return resp;
}

async function main() {
    const browser = await chromium.launch({
        executablePath: env.CHROMIUM || '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
    });
    const newContext = () => browser.newContext({
        ignoreHTTPSErrors: true, // the test CA's certificate
        viewport: { width: 1200, height: 860 },
        deviceScaleFactor: 1,
    });
    const maria = await newContext();
    const page = await maria.newPage();

    // ---- logging in ----
    await page.goto(`${BASE}/login`);
    await shot(page, 'login');
    let resp = await login(page, 'maria', 'not her password');
    ok(resp.status() === 401 && (await page.textContent('.error')).includes('do not match'),
       'a wrong password is refused (401, says so)', resp.status());
    ok(!(await maria.cookies()).some((c) => c.name === 'sid'), 'a wrong password gets no session cookie');

    resp = await login(page, 'maria', 'correct horse battery');
    ok(page.url() === `${BASE}/` && (await page.textContent('h1')) === 'Patients',
       'maria logs in and sees her patients', page.url());
    const sid = (await maria.cookies()).find((c) => c.name === 'sid');
    ok(sid && sid.httpOnly && sid.secure && sid.sameSite === 'Strict' && /^[0-9a-f]{64}$/.test(sid.value),
       'the session cookie is random, HttpOnly, Secure and SameSite=Strict', JSON.stringify(sid));
    const names = await page.$$eval('table.list tbody td:first-child a', (as) => as.map((a) => a.textContent));
    ok(names.includes('Anna') && names.includes('Bea') && !names.includes('Cara'),
       'the list has her clinic\'s patients only', names.join(', '));
    ok(names.includes('O\'Neil <b>bold</b> & "quoted"') && (await page.$$('main b')).length === 0,
       'a name with markup is shown as text, not run as HTML', names.join(' | '));
    await shot(page, 'patients');

    // ---- a patient ----
    const [pr] = await Promise.all([page.waitForNavigation(), page.click('a:text-is("Anna")')]);
    const h = pr.headers();
    ok(h['cache-control'] === 'no-store' && h['x-frame-options'] === 'DENY' &&
       /frame-ancestors 'none'/.test(h['content-security-policy']) &&
       !/unsafe-inline/.test(h['content-security-policy']),
       'a patient page is no-store, not framable, and its CSP allows no inline script',
       JSON.stringify(h));
    const weeks = await page.$$('table.weeks tbody tr');
    ok(weeks.length === 8, 'her weeks: eight rows', weeks.length);
    const thisWeek = await page.$$eval('table.weeks tbody tr:first-child td', (td) => td.map((t) => t.textContent));
    ok(/this week/.test(thisWeek[0]) && Number(thisWeek[1]) >= 1, 'this week is on top with its sessions', thisWeek.join(' | '));
    const charts = await page.$$eval('svg.chart', (s) => s.map((x) => x.getAttribute('aria-label')));
    ok(charts.join() === 'Rocking rate,Rhythm,Hold times', 'three trend charts (rate, rhythm, holds)', charts.join());
    const axes = await page.$$eval('svg.chart text.unit', (t) => t.map((x) => x.textContent));
    ok(axes.includes('cycles a second (Hz)') && axes.includes('longest hold (seconds)') &&
       (await page.$$('svg.chart rect.band')).length === 1,
       'the charts have units on their axes and her band shaded', axes.join(' | '));
    await shot(page, 'patient', { fullPage: true });

    // how long her page takes, database and charts included (10 loads)
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) await page.goto(`${BASE}/patient/${env.ANNA}`);
    console.log(`# her page (15 sessions, 3 charts) over HTTPS: ${((Date.now() - t0) / 10).toFixed(0)} ms a load in the browser`);

    // ---- one session ----
    await Promise.all([page.waitForNavigation(), page.click('#sessions tbody tr:first-child a')]);
    const steps = await page.$$eval('table.steps tbody tr td:nth-child(2)', (t) => t.map((x) => x.textContent));
    ok(steps[0] === 'Child pose' && steps.includes('Knees rocking'), 'a session shows its steps', steps.join(' | '));
    const notes = await page.textContent('ul.notes');
    ok(/Stopped early/.test(notes) && /stop pressed \(script\)/.test(notes),
       'her latest session says it was stopped early, and when stop was pressed', notes);
    const targets = await page.$$eval('table.steps tbody tr:first-child td', (t) => t.map((x) => x.textContent));
    ok(/120 s/.test(targets[2]) && /holds/.test(targets[3]), 'targets against what was done', targets.join(' | '));
    await shot(page, 'session', { fullPage: true });

    // ---- her program ----
    await page.goto(`${BASE}/patient/${env.ANNA}#program`);
    await page.fill('#backblock_s', '5');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Store and send")')]);
    const err = await page.textContent('.error');
    ok(/backblock_s=5 is out of range/.test(err) && (await page.inputValue('#backblock_s')) === '5',
       'a value out of range is refused with what is allowed, the form kept', err);
    await page.fill('#stage', '2');
    await page.fill('#backblock_s', '180+30/week..600');
    await page.fill('#rate_min_hz', ' 0.9 '); // spaces round a value are dropped
    await page.fill('#rate_max_hz', '1.2');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Store and send")')]);
    const notice = await page.textContent('.notice').catch(() => '');
    ok(/stored and sent/.test(notice) && /stored=2/.test(page.url()),
       'the program is stored and sent to her two stations', `${page.url()} ${notice}`);
    ok((await page.inputValue('#stage')) === '2' && (await page.inputValue('#backblock_s')) === '180+30/week..600',
       'the page shows the program as set', await page.inputValue('#stage'));
    await page.evaluate(() => document.querySelector('#program').scrollIntoView());
    await shot(page, 'program');

    // ---- forms without the session's token ----
    let r = await page.request.post(`${BASE}/patient/${env.ANNA}/program`, { form: { stage: '1' }, maxRedirects: 0 });
    ok(r.status() === 403, 'a POST without a CSRF token is refused (403)', r.status());
    r = await page.request.post(`${BASE}/patient/${env.ANNA}/program`,
                                { form: { csrf: 'a'.repeat(64), stage: '1' }, maxRedirects: 0 });
    ok(r.status() === 403, 'a POST with a wrong CSRF token is refused (403)', r.status());
    r = await page.request.post(`${BASE}/patient/${env.ANNA}/delete`, { form: { confirm: 'yes' }, maxRedirects: 0 });
    ok(r.status() === 403, 'a delete without a CSRF token is refused (403)', r.status());
    await page.goto(`${BASE}/patient/${env.ANNA}`);
    ok((await page.inputValue('#stage')) === '2' && (await page.$('a:text-is("JSON")')) !== null,
       'after the refused forms her program and data are unchanged');
    // the same in the browser: her program form with another token in it
    await page.$eval('form.program input[name=csrf]', (i) => { i.value = 'b'.repeat(64); });
    const [bad] = await Promise.all([page.waitForNavigation(), page.click('button:has-text("Store and send")')]);
    ok(bad.status() === 403 && /refused/.test(await page.textContent('h1')),
       'the browser sending a form with a forged token gets the refusal page (403)', bad.status());
    await shot(page, 'refused');

    // ---- export ----
    r = await page.request.get(`${BASE}/patient/${env.ANNA}/export.json`);
    const data = await r.json().catch(() => ({}));
    ok(r.status() === 200 && /attachment/.test(r.headers()['content-disposition']) &&
       data.patient && data.patient.name === 'Anna' && data.sessions.length === 15 &&
       data.program.values.stage === '2',
       'her export (JSON) has her, her program and her 15 sessions',
       `${r.status()} ${data.sessions && data.sessions.length}`);
    r = await page.request.get(`${BASE}/patient/${env.ANNA}/export.csv`);
    const csv = (await r.text()).trim().split('\n');
    ok(r.status() === 200 && csv[0].startsWith('session,date,time,station') && csv.length > 15 * 5,
       'her export (CSV) has a row per exercise', `${r.status()} ${csv.length} lines`);

    // ---- another clinic ----
    const tom = await newContext();
    const tp = await tom.newPage();
    await login(tp, 'tom', 'staple battery horse');
    const tnames = await tp.$$eval('table.list tbody td:first-child a', (as) => as.map((a) => a.textContent));
    ok(tnames.join() === 'Cara', 'a clinician of another clinic sees only his own patient', tnames.join());
    for (const [what, path] of [['her page', `/patient/${env.ANNA}`],
                                ['her session', `/session?id=${encodeURIComponent(env.ANNA_LATEST)}`],
                                ['her export', `/patient/${env.ANNA}/export.json`],
                                ['her delete page', `/patient/${env.ANNA}/delete`]]) {
        r = await tp.goto(`${BASE}${path}`);
        ok(r.status() === 404 && !(await tp.content()).includes('Anna'),
           `another clinic's clinician gets 404 for ${what}`, r.status());
    }
    const tcsrf = await tp.getAttribute('input[name=csrf]', 'value');
    r = await tp.request.post(`${BASE}/patient/${env.ANNA}/program`,
                              { form: { csrf: tcsrf, stage: '1' }, maxRedirects: 0 });
    ok(r.status() === 404, 'another clinic\'s clinician cannot set her program, even with his own token', r.status());
    await tp.goto(`${BASE}/patient/${env.ANNA}`);
    await shot(tp, 'other-clinic');

    // ---- deleting a patient's data (his own, Cara) ----
    await tp.goto(`${BASE}/patient/${env.CARA}/delete`);
    await shot(tp, 'delete');
    await Promise.all([tp.waitForNavigation(), tp.click('button:has-text("Delete her data")')]);
    const after = await tp.$$eval('table.list tbody td:first-child a', (as) => as.map((a) => a.textContent));
    ok(!after.includes('Cara'), 'after the confirmed delete Cara is gone from the list', after.join());
    r = await tp.goto(`${BASE}/session?id=${encodeURIComponent(env.CARA_SESSION)}`);
    ok(r.status() === 404, 'and her session is gone', r.status());

    // ---- logging out ----
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Log out")')]);
    r = await page.request.get(`${BASE}/`, { maxRedirects: 0 });
    ok(page.url() === `${BASE}/login` && r.status() === 303, 'after logging out the pages ask for a login again',
       `${page.url()} ${r.status()}`);
    const stale = await maria.request.get(`${BASE}/patient/${env.ANNA}`, {
        headers: { cookie: `sid=${sid.value}` }, maxRedirects: 0 });
    ok(stale.status() === 303, 'the old session cookie opens nothing', stale.status());

    // ---- too many wrong passwords (last: it blocks this address) ----
    const mallory = await newContext();
    const mp = await mallory.newPage();
    // this address had one wrong password at the start: four more make five
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await login(mp, 'maria', `guess ${i}`)).status());
    codes.push((await login(mp, 'maria', 'correct horse battery')).status());
    ok(codes.slice(0, 4).every((c) => c === 401) && codes[4] === 429 &&
       /Too many wrong passwords/.test(await mp.textContent('.error')),
       'after five wrong passwords even the right one waits (429)', codes.join());

    await browser.close();
    return failures;
}

main().then((f) => process.exit(f ? 1 : 0), (e) => {
    console.log(`not ok - the browser test ran to its end\n#   ${String(e.stack || e).split('\n').join('\n#   ')}`);
    process.exit(1);
});
