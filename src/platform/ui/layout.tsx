/** The page shell: language, direction, header with navigation and language switcher, rehearsal banner. */
import type { ComponentChildren } from 'preact';
import { ENDONYMS, LOCALES, direction, type Locale } from '../i18n/locales.js';
import { formatDay, genevaDate } from '../i18n/format.js';
import type { T } from '../i18n/messages.js';
import type { NavLink } from './nav.js';
import { lastOrganiser, organiserAddress, organiserLogoPath, organiserName, type Organiser } from '../organiser.js';

export type PageMeta = {
  locale: Locale;
  t: T;
  title: string;
  /** The path after the locale prefix, with its query string, e.g. `/programme?day=2026-07-08`. */
  path: string;
  /** Set when the app runs on a rehearsal clock. */
  rehearsalNow?: Date;
  nav?: 'week' | 'programme' | 'events';
  /** Private pages only: public pages are cached and the same for everyone. */
  signedIn?: boolean;
  /** The modules' links this person may use (see nav.ts), in the order of the module list. */
  links?: NavLink[];
  /** CSRF token for the sign-out form in the header. */
  csrf?: string;
  /** Scripts of this page (same origin, deferred); the pages work without them where they can. */
  scripts?: string[];
  /** The organiser's identity (organiser.ts); the defaults when not given (error pages). */
  organiser?: Organiser;
  /** Private pages only: reload the page after this many seconds (progress of a job, without script). */
  refresh?: number;
};

/** The same page in another language. */
export const localePath = (locale: Locale, path: string) => `/${locale}${path.startsWith('/') ? path : `/${path}`}`;

/** The body is given as children, or already rendered (`bodyHtml`, see page.tsx). */
export function Layout(props: PageMeta & { children?: ComponentChildren; bodyHtml?: string }) {
  const { locale, t, title, path, rehearsalNow, nav } = props;
  const org = props.organiser ?? lastOrganiser();
  const orgName = organiserName(org, locale);
  const orgLang = orgName.lang && orgName.lang !== locale ? orgName.lang : undefined;
  return (
    <html lang={locale} dir={direction(locale)}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t('site.name')}`}</title>
        <link rel="stylesheet" href="/assets/site.css" />
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <script src="/assets/site.js" defer />
        {props.csrf && <meta name="csrf-token" content={props.csrf} />}
        {props.refresh != null && <meta http-equiv="refresh" content={String(props.refresh)} />}
        {props.scripts?.map((src) => (
          <script src={src} defer />
        ))}
        {LOCALES.map((l) => (
          <link rel="alternate" hreflang={l} href={localePath(l, path)} />
        ))}
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('layout.skip')}
        </a>
        {rehearsalNow && (
          <div class="rehearsal" role="status">
            {t('layout.rehearsal', { day: formatDay(locale, genevaDate(rehearsalNow)) })}
          </div>
        )}
        <header class="site-header">
          <a class="brand" href={localePath(locale, '/')}>
            <span class="brand-org">
              {org.logo && (
                <img
                  class="brand-logo"
                  src={organiserLogoPath(org.logo.sha256)}
                  alt=""
                  width={Math.round((org.logo.width * 32) / org.logo.height)}
                  height={32}
                />
              )}
              <span class="brand-org-name" lang={orgLang}>
                {orgName.text}
              </span>
            </span>
            <span class="brand-name">{t('site.name')}</span>
            <span class="brand-tagline">{t('site.tagline')}</span>
          </a>
          <details class="menu">
            <summary>{t('layout.menu')}</summary>
            <div class="menu-body">
              <nav class="main-nav" aria-label={t('layout.main_nav')}>
                <a href={localePath(locale, '/')} aria-current={nav === 'week' ? 'page' : undefined}>
                  {t('nav.week')}
                </a>
                <a href={localePath(locale, '/programme')} aria-current={nav === 'programme' ? 'page' : undefined}>
                  {t('nav.programme')}
                </a>
                <a href={localePath(locale, '/api-reference')}>{t('nav.api')}</a>
                {props.links?.map((l) => (
                  <a href={localePath(locale, l.path)}>{t(l.label)}</a>
                ))}
                <a href={localePath(locale, props.signedIn ? '/account' : '/sign-in')}>
                  {t(props.signedIn ? 'nav.account' : 'nav.sign_in')}
                </a>
                {props.signedIn && !props.csrf && <a href={localePath(locale, '/sign-out')}>{t('nav.sign_out')}</a>}
                {props.signedIn && props.csrf && (
                  <form method="post" action={localePath(locale, '/sign-out')} class="inline-form">
                    <input type="hidden" name="_csrf" value={props.csrf} />
                    <button type="submit" class="link-button">
                      {t('nav.sign_out')}
                    </button>
                  </form>
                )}
              </nav>
              <nav class="lang-switch" aria-label={t('layout.languages')}>
                <ul>
                  {LOCALES.map((l) => (
                    <li>
                      <a
                        href={localePath(l, path)}
                        lang={l}
                        hreflang={l}
                        dir={direction(l)}
                        aria-current={l === locale ? 'true' : undefined}
                      >
                        {ENDONYMS[l]}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            </div>
          </details>
        </header>
        {props.bodyHtml !== undefined ? (
          <main id="main" dangerouslySetInnerHTML={{ __html: props.bodyHtml }} />
        ) : (
          <main id="main">{props.children}</main>
        )}
        <footer class="site-footer">
          <p class="footer-org">
            <span lang={orgLang}>{orgName.text}</span>
            {organiserAddress(org, locale) && <> · {organiserAddress(org, locale)}</>}
          </p>
          <p>{t('layout.times_note')}</p>
          <p>
            <a href={localePath(locale, '/api-reference')}>{t('layout.api_docs')}</a>
          </p>
        </footer>
      </body>
    </html>
  );
}
