/** Every page names the site's icon, and /favicon.ico (asked for by browsers on pages that name none) leads to it. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';

describe('favicon', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('pages link the icon; /favicon.ico redirects to it; it is served as SVG', async () => {
    const home = await t.app.inject({ method: 'GET', url: '/en/' });
    assert.match(home.body, /<link rel="icon" href="\/assets\/favicon.svg" type="image\/svg\+xml"\/>/);
    const ico = await t.app.inject({ method: 'GET', url: '/favicon.ico' });
    assert.equal(ico.statusCode, 301);
    assert.equal(ico.headers.location, '/assets/favicon.svg');
    const svg = await t.app.inject({ method: 'GET', url: '/assets/favicon.svg' });
    assert.equal(svg.statusCode, 200);
    assert.match(svg.headers['content-type'] as string, /image\/svg\+xml/);
    assert.match(svg.body, /^<svg /);
  });
});
