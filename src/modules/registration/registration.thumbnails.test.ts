/** Lists load a 96 × 128 WebP thumbnail made when the photo is stored, not the 600 × 800 photo; old photos get one. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { client, createPerson } from '../../../test/helpers/actors.js';
import { entities } from '../entities/index.js';
import { personPhotos } from './registration.schema.js';
import { backfillThumbnails } from './registration.photo.js';

describe('photo thumbnails', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('makes a 96 × 128 WebP when the photo is stored, serves it to the focal point, and backfills old photos', async () => {
    const [{ id: ghana }] = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.code, 'GH'));
    const dfp = await createPerson(t, { entityId: ghana, focalPointOf: [ghana] });
    const p = await createPerson(t, { entityId: ghana });
    const face = await sharp({ create: { width: 600, height: 800, channels: 3, background: '#a08070' } })
      .jpeg()
      .toBuffer();
    const self = await client(t, p);
    const put = await self.inject({
      method: 'PUT',
      url: '/api/v1/me/photo',
      headers: { 'content-type': 'image/jpeg', 'x-csrf-token': self.csrf },
      payload: face,
    });
    assert.equal(put.statusCode, 200, put.body);
    const [row] = await t.database.db.select().from(personPhotos).where(eq(personPhotos.personId, p.id));
    assert.ok(row.thumb, 'the thumbnail is stored with the photo');
    const c = await client(t, dfp);
    const res = await c.inject({ method: 'GET', url: `/api/v1/people/${p.id}/photo/thumb` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/webp');
    const meta = await sharp(res.rawPayload).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 96, 128]);
    assert.ok(res.rawPayload.length < row.jpeg.length / 4, 'far smaller than the photo');
    // Someone outside the entity learns nothing.
    const stranger = await client(t, await createPerson(t));
    assert.equal((await stranger.inject({ method: 'GET', url: `/api/v1/people/${p.id}/photo/thumb` })).statusCode, 403);

    // A photo stored before thumbnails existed: the backfill makes its thumbnail, once.
    await t.database.db.update(personPhotos).set({ thumb: null }).where(eq(personPhotos.personId, p.id));
    assert.equal(await backfillThumbnails(t.database.db), 1);
    assert.equal(await backfillThumbnails(t.database.db), 0);
    const [filled] = await t.database.db.select().from(personPhotos).where(eq(personPhotos.personId, p.id));
    assert.deepEqual(
      [(await sharp(filled.thumb!).metadata()).width, (await sharp(filled.thumb!).metadata()).height],
      [96, 128],
    );
  });
});
