// Counted nouns: the count in the table's own number format, followed by
// the noun in the plural form its language's rules ask for.

/** A noun's forms by plural category; which ones a language needs, `Intl.PluralRules` says. */
export type NounForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** `(n) => "5 тикетов"`: `count` with `forms` picked by the plural rules of `locale`. */
export function counted(locale: string, forms: NounForms): (count: number) => string {
  const rules = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  return (count) => `${numbers.format(count)} ${forms[rules.select(count)] ?? forms.other}`;
}
