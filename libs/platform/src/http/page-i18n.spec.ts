import {
  acceptLanguageLocale,
  createPageI18n,
  languageSwitch,
  linkPageLocale,
  translationGaps,
} from './page-i18n';

describe('the language of the pages an emailed link opens', () => {
  it('reads the preferred supported language of Accept-Language', () => {
    expect(acceptLanguageLocale('ja-JP,ja;q=0.9,en-US;q=0.8')).toBe('ja');
    expect(acceptLanguageLocale('fr-FR,en;q=0.7,ja;q=0.9')).toBe('ja');
    expect(acceptLanguageLocale('de, fr')).toBeUndefined();
    expect(acceptLanguageLocale('ja;q=0')).toBeUndefined();
    expect(acceptLanguageLocale(undefined)).toBeUndefined();
  });

  it('takes the link’s lang, else the stored locale, else the browser’s, else English', () => {
    expect(linkPageLocale('ja', 'en', 'en')).toBe('ja');
    expect(linkPageLocale('xx', 'en', 'ja')).toBe('ja');
    expect(linkPageLocale(undefined, 'ja-JP')).toBe('ja');
    expect(linkPageLocale(['ja'], undefined)).toBe('en');
  });

  it('translates with English for a missing key', () => {
    const i18n = createPageI18n(
      { en: { page: { a: 'A {{x}}', b: 'B' } }, ja: { page: { a: 'エー {{x}}' } } },
      'page',
    );
    expect(i18n.t('ja')('a', { x: '<1>' })).toBe('エー <1>');
    expect(i18n.t('ja')('b')).toBe('B');
  });

  it('finds missing, empty and untranslated words', () => {
    expect(
      translationGaps(
        {
          en: { page: { a: 'A', b: 'B', c: 'C', d: 'Office' } },
          ja: { page: { a: 'エー', b: ' ', d: 'Office' } },
        },
        ['page:d'],
      ),
    ).toEqual(['ja page:b empty', 'ja page:c missing']);
  });

  it('draws a switch to the other language, escaped', () => {
    expect(languageSwitch((l) => `p?token=a"b&lang=${l}`, 'en', 'Language')).toBe(
      '<nav class="lang" aria-label="Language"><a href="p?token=a&quot;b&amp;lang=ja" hreflang="ja" lang="ja">日本語</a></nav>',
    );
  });
});
