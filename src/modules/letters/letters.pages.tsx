/** Public pages: `/{lc}/letters` (the sent letters) and `/{lc}/letters/{ref}` (HTML, `.pdf`, annexes). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatDay } from '../../platform/i18n/format.js';
import { text } from '../../platform/i18n/localized.js';
import { getOrganiser } from '../../platform/organiser.js';
import { direction, type Locale } from '../../platform/i18n/locales.js';
import type { Ctx } from '../../platform/context.js';
import { sendPage, type View } from '../../platform/ui/page.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { localePath } from '../../platform/ui/layout.js';
import { messagesPages } from './letters.messages-pages.js';
import { lettersOfficePages } from './letters.office.js';
import { renderLetterPdf } from './letters.pdf.js';
import { languageName, letterDate, letterLanguages, letterPdfView, readLetter } from './letters.present.js';
import { parseBody, referenceSlug } from './letters.rules.js';
import {
  getAnnexFile,
  getCurrentLetter,
  getPublishedLetter,
  listAnnexes,
  listPublishedLetters,
  type Letter,
} from './letters.service.js';

/** Rendered PDFs of sent letters (they never change), per letter and language; small and bounded. */
const pdfCache = new Map<string, Buffer>();

export async function letterPdf(ctx: Ctx, letter: Letter, locale: Locale): Promise<Buffer> {
  const lang = readLetter(letter, locale).lang;
  const org = await getOrganiser(ctx.db);
  // The letterhead follows the organiser's identity as set now.
  const orgKey = `${text(org.name, lang)}|${text(org.address, lang)}|${org.logo?.sha256 ?? ''}`;
  const key = `${letter.id}|${letter.updatedAt.getTime()}|${lang}|${orgKey}`;
  let pdf = pdfCache.get(key);
  if (!pdf) {
    pdf = await renderLetterPdf(letterPdfView(letter, await listAnnexes(ctx.db, letter.id), lang, org));
    if (letter.state === 'sent') {
      if (pdfCache.size > 60) pdfCache.delete(pdfCache.keys().next().value!);
      pdfCache.set(key, pdf);
    }
  }
  return pdf;
}

export const letterFileName = (letter: Letter, lang: Locale) => `${referenceSlug(letter.reference)}-${lang}.pdf`;

function Body({ letter, locale }: { letter: Letter; locale: Locale }) {
  const r = readLetter(letter, locale);
  return (
    <div class="letter-body" lang={r.lang} dir={direction(r.lang)}>
      {parseBody(r.body).map((b) =>
        b.kind === 'heading' ? (
          <h2>{b.text}</h2>
        ) : b.kind === 'list' ? (
          <ul>
            {b.items.map((i) => (
              <li>{i}</li>
            ))}
          </ul>
        ) : (
          <p>{b.text}</p>
        ),
      )}
    </div>
  );
}

/** The letters concerning an event, for its page (empty when there are none). */
export async function eventLettersBlock(v: View, ctx: Ctx, eventId: number) {
  const list = await listPublishedLetters(ctx, { eventId });
  if (!list.length) return null;
  const { t, locale } = v;
  return (
    <section aria-labelledby="event-letters">
      <h2 id="event-letters">{t('letters.on_event')}</h2>
      <ul>
        {list.map((l) => (
          <li>
            <a href={localePath(locale, `/letters/${referenceSlug(l.reference)}`)}>{l.reference}</a>{' '}
            {readLetter(l, locale).subject}
          </li>
        ))}
      </ul>
    </section>
  );
}

async function sendPdf(req: FastifyRequest, reply: FastifyReply, letter: Letter) {
  const pdf = await letterPdf(req.ctx, letter, req.locale);
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `inline; filename="${letterFileName(letter, readLetter(letter, req.locale).lang)}"`)
    .header('cache-control', 'public, max-age=300')
    .send(pdf);
}

export async function lettersPages(app: FastifyInstance) {
  await app.register(async (scoped) => {
    await requireLocalePrefix(scoped);
    await scoped.register(lettersOfficePages);
    await scoped.register(messagesPages);

    scoped.get('/:lc/letters', { config: { permission: 'public' }, schema: { hide: true } }, (req, reply) =>
      sendPage(req, reply, async (v) => {
        const { t, locale } = v;
        const list = await listPublishedLetters(req.ctx);
        return {
          title: t('letters.nav'),
          body: (
            <section aria-labelledby="letters-title">
              <h1 id="letters-title">{t('letters.nav')}</h1>
              <p class="lead">{t('letters.lead')}</p>
              {list.length === 0 ? (
                <p>{t('letters.none')}</p>
              ) : (
                <ul class="cards letters">
                  {list.map((l) => {
                    const r = readLetter(l, locale);
                    return (
                      <li class="card">
                        <p class="kicker">
                          {l.reference} · {letterDate(locale, l.sentOn)}
                        </p>
                        <h2>
                          <a href={localePath(locale, `/letters/${referenceSlug(l.reference)}`)} lang={r.lang}>
                            {r.subject}
                          </a>
                        </h2>
                        <p class="meta">{text(l.addressees, locale)}</p>
                      </li>
                    );
                  })}
                </ul>
              )}
            </section>
          ),
        };
      }),
    );

    scoped.get<{ Params: { lc: string; ref: string } }>(
      '/:lc/letters/:ref',
      { config: { permission: 'public' }, schema: { hide: true } },
      async (req, reply) => {
        if (req.params.ref.endsWith('.pdf'))
          return sendPdf(req, reply, await getPublishedLetter(req.ctx, req.params.ref.slice(0, -4)));
        return sendPage(req, reply, async (v) => {
          const { t, locale } = v;
          const letter = await getPublishedLetter(req.ctx, req.params.ref);
          const r = readLetter(letter, locale);
          const annexes = await listAnnexes(req.ctx.db, letter.id);
          const slug = referenceSlug(letter.reference);
          const orig = letter.originalLanguage as Locale;
          const corrected = letter.correctsId
            ? (await listPublishedLetters(req.ctx)).find((x) => x.id === letter.correctsId)
            : undefined;
          return {
            title: `${letter.reference}: ${r.subject}`,
            body: (
              <article class="letter" aria-labelledby="letter-title">
                <p class="kicker">
                  {letter.reference} · {t('letters.date_line', { date: letterDate(locale, letter.sentOn) })}
                </p>
                <h1 id="letter-title" lang={r.lang}>
                  {r.subject}
                </h1>
                {corrected && (
                  <p>
                    <a href={localePath(locale, `/letters/${referenceSlug(corrected.reference)}`)}>
                      {t('letters.corrigendum_of', { reference: corrected.reference })}
                    </a>
                  </p>
                )}
                {r.fallback && (
                  <p class="notice" role="note">
                    {t('letters.fallback', { language: languageName(locale, r.lang) })}
                  </p>
                )}
                <dl class="facts">
                  <dt>{t('letters.from')}</dt>
                  <dd>{text(letter.sender, locale)}</dd>
                  <dt>{t('letters.to')}</dt>
                  <dd>{text(letter.addressees, locale)}</dd>
                  <dt>{t('letters.contact')}</dt>
                  <dd>
                    {letter.contactName} · <a href={`mailto:${letter.contactEmail}`}>{letter.contactEmail}</a>
                  </dd>
                  <dt>{t('letters.original_label')}</dt>
                  <dd>{languageName(locale, orig)}</dd>
                </dl>
                <p class="actions">
                  <a class="button" href={localePath(locale, `/letters/${slug}.pdf`)} type="application/pdf">
                    {t('letters.pdf')} ({languageName(locale, r.lang)})
                  </a>
                </p>
                <Body letter={letter} locale={locale} />
                <p class="signature" lang={r.lang}>
                  <em>{t('letters.signed')}</em>
                  <br />
                  <strong>{letter.signatoryName}</strong>
                  <br />
                  {text(letter.signatoryTitle, r.lang)}
                </p>
                {annexes.length > 0 && (
                  <section aria-labelledby="annexes-title">
                    <h2 id="annexes-title">{t('letters.annexes_heading')}</h2>
                    <ol>
                      {annexes.map((a) => (
                        <li>
                          <a href={localePath(locale, `/letters/${slug}/annexes/${a.id}`)} type="application/pdf">
                            {a.title}
                          </a>
                        </li>
                      ))}
                    </ol>
                  </section>
                )}
                <nav aria-labelledby="languages-title">
                  <h2 id="languages-title">{t('letters.languages')}</h2>
                  <ul class="inline">
                    {letterLanguages(letter)
                      .filter((l) => l !== r.lang)
                      .map((l) => (
                        <li>
                          <a href={`/${l}/letters/${slug}`} lang={l} hreflang={l}>
                            {languageName(l, l)}
                          </a>{' '}
                          (
                          <a href={`/${l}/letters/${slug}.pdf`} hreflang={l} type="application/pdf">
                            PDF
                          </a>
                          )
                        </li>
                      ))}
                  </ul>
                </nav>
              </article>
            ),
          };
        });
      },
    );

    scoped.get<{ Params: { lc: string; ref: string; id: string } }>(
      '/:lc/letters/:ref/annexes/:id',
      { config: { permission: 'public' }, schema: { hide: true } },
      async (req, reply) => {
        const letter = await getPublishedLetter(req.ctx, req.params.ref);
        const a = await getAnnexFile(req.ctx.db, letter.id, Number(req.params.id) || 0);
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `inline; filename="${a.filename}"`)
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'public, max-age=300')
          .send(a.pdf);
      },
    );
  });
}

/** The current circular letter, on the home page (a block the events module hosts). */
export async function currentLetterBlock(v: View, req: FastifyRequest) {
  const { t, locale } = v;
  const letter = await getCurrentLetter(req.ctx);
  if (!letter) return null;
  return (
    <section class="letter" aria-labelledby="letter-title">
      <h2 id="letter-title">{t('letter.heading', { reference: letter.reference })}</h2>
      <p>{text(letter.subject, locale)}</p>
      <dl class="facts">
        <dt>{t('letter.date')}</dt>
        <dd>{formatDay(locale, letter.sentOn)}</dd>
        <dt>{t('letter.signatory')}</dt>
        <dd>
          {letter.signatoryName}, {text(letter.signatoryTitle, locale)}
        </dd>
        <dt>{t('letter.contact')}</dt>
        <dd>
          {letter.contactName} · <a href={`mailto:${letter.contactEmail}`}>{letter.contactEmail}</a>
        </dd>
        {letter.speakingRequestDeadline && (
          <>
            <dt>{t('letter.speaking_deadline')}</dt>
            <dd>{formatDay(locale, letter.speakingRequestDeadline)}</dd>
          </>
        )}
      </dl>
      <p>
        <a href={localePath(locale, `/letters/${referenceSlug(letter.reference)}`)}>{t('letters.read')}</a>
      </p>
    </section>
  );
}
