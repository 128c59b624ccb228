import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VipInput, VisaInput } from './registration.input.js';

const visa = {
  passportName: 'NGUYỄN Thị Ngọc Ánh',
  passportNumber: 'C1234567',
  nationality: 'VN',
  dateOfBirth: '1990-01-01',
  visaPlace: 'Embassy of Switzerland, Hanoi',
};

describe('registration input', () => {
  it('visa letters take the passport name and place in Latin letters (ICAO 9303), refusing other scripts and emoji', () => {
    assert.equal(VisaInput.safeParse(visa).success, true);
    assert.equal(VisaInput.safeParse({ ...visa, passportName: "O'NEILL-ÇELIK Mary Ann" }).success, true);
    for (const passportName of ['陈超', 'عبد الله السواحه', 'Айгерим Иванова', 'Ana 🌸', 'R2D2']) {
      const r = VisaInput.safeParse({ ...visa, passportName });
      assert.equal(r.success, false, passportName);
      assert.deepEqual(
        r.error!.issues.map((i) => [i.path.join('.'), (i as { params?: { code?: string } }).params?.code]),
        [['passportName', 'latin_letters_only']],
      );
    }
    const place = VisaInput.safeParse({ ...visa, visaPlace: 'سفارة سويسرا، الرياض' });
    assert.deepEqual(
      place.error?.issues.map((i) => i.path.join('.')),
      ['visaPlace'],
    );
  });

  it('a VIP may have a single name and an honorific from the one list; emoji are refused', () => {
    const base = {
      events: ['wsis-forum-2026'],
      mode: 'in_person',
      entityId: 1,
      email: 'a@b.test',
      givenName: 'Sukarno',
    };
    const ok = VipInput.safeParse({ ...base, honorific: 'Amb.' });
    assert.equal(ok.success, true);
    assert.equal(ok.data?.familyName, '');
    assert.equal(VipInput.safeParse({ ...base, honorific: 'Excellency' }).success, false);
    assert.equal(VipInput.safeParse({ ...base, givenName: 'Ana 🌸' }).success, false);
  });
});
