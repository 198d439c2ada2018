import Handlebars from 'handlebars';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LOCALE, LOCALES, Locale, TEMPLATE_IDS, TemplateId } from '@app/contracts';
import { HELPER_NAMES, registerHelpers } from './handlebars-helpers';

type HandlebarsEnv = typeof Handlebars;
type CompiledTemplate = HandlebarsTemplateDelegate;

/** The parts of an email. The HTML part escapes data; subject and text are plain text. */
export type EmailPart = 'subject' | 'html' | 'text';
const PARTS: readonly EmailPart[] = ['subject', 'html', 'text'];

/** Partials every locale provides (falling back to English one by one). */
export const PARTIAL_NAMES = ['header', 'footer', 'link-button'] as const;

/**
 * The templates folder: `templates/` beside this file, both when running from source (jest) and
 * from each app's build, `dist/apps/<app>/libs/email-rendering/src` (nest-cli.json copies them
 * there as assets of notifications and of relationships).
 */
export const DEFAULT_TEMPLATES_DIR = join(__dirname, 'templates');

/** The compiled parts of one template in one locale; `locale` is the language actually used. */
export interface LocalizedTemplate {
  locale: Locale;
  subject: CompiledTemplate;
  html: CompiledTemplate;
  text: CompiledTemplate;
}

/** Handlebars' own compile path, run eagerly (`Handlebars.compile` defers it to the first call). */
interface HandlebarsCompilers {
  Compiler: new () => { compile(ast: hbs.AST.Program, options: CompileOptions): unknown };
  JavaScriptCompiler: new () => {
    compile(
      environment: unknown,
      options: CompileOptions,
      context: undefined,
      asObject: true,
    ): TemplateSpecification;
  };
}

/** Walks a template's syntax tree and refuses `{{{ }}}` and `{{& }}`: data is always escaped. */
function assertOnlyEscapedMustaches(node: unknown, file: string): void {
  if (Array.isArray(node)) {
    node.forEach((child) => assertOnlyEscapedMustaches(child, file));
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as { type?: unknown; escaped?: unknown; loc?: { start?: { line?: number } } };
  if (n.type === 'MustacheStatement' && n.escaped === false) {
    throw new Error(`${file}:${n.loc?.start?.line ?? '?'}: only {{ }} is allowed, not {{{ }}}`);
  }
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'loc') assertOnlyEscapedMustaches(value, file);
  }
}

/**
 * Every email template, compiled once when the catalog is loaded (at boot) on an isolated
 * Handlebars instance, in `strict` mode (a missing field throws instead of rendering empty) and
 * with only the known helpers. Layout: `templates/layout.{html,text}.hbs`; partials:
 * `templates/partials/<locale>/<name>.{html,text}.hbs`; templates:
 * `templates/<template id>/<locale>.{subject,html,text}.hbs`. A locale whose files of a template
 * are incomplete falls back to English for that whole template, so an email never mixes languages
 * in its body. A missing English file stops the boot.
 */
export class TemplateCatalog {
  private readonly templates = new Map<string, LocalizedTemplate>();
  private readonly partialSets = new Map<string, Record<string, CompiledTemplate>>();
  readonly layout: { html: CompiledTemplate; text: CompiledTemplate };

  private constructor(
    private readonly hb: HandlebarsEnv,
    private readonly dir: string,
  ) {
    this.layout = {
      html: this.compileFile('layout.html.hbs', 'html'),
      text: this.compileFile('layout.text.hbs', 'text'),
    };
    for (const locale of LOCALES) {
      for (const kind of ['html', 'text'] as const) {
        const set: Record<string, CompiledTemplate> = {};
        for (const name of PARTIAL_NAMES) {
          const own = join('partials', locale, `${name}.${kind}.hbs`);
          const file = this.exists(own)
            ? own
            : join('partials', DEFAULT_LOCALE, `${name}.${kind}.hbs`);
          set[name] = this.compileFile(file, kind);
        }
        this.partialSets.set(`${locale}:${kind}`, set);
      }
    }
    for (const template of TEMPLATE_IDS) {
      for (const locale of LOCALES) {
        const complete = PARTS.every((part) =>
          this.exists(this.templateFile(template, locale, part)),
        );
        const used = complete ? locale : DEFAULT_LOCALE;
        const [subject, html, text] = PARTS.map((part) =>
          this.compileFile(this.templateFile(template, used, part), part),
        );
        this.templates.set(`${template}:${locale}`, { locale: used, subject, html, text });
      }
    }
  }

  /**
   * Load and compile every template under `dir`.
   * @throws Error naming the file when a file is missing (English) or does not compile.
   */
  static load(dir: string = DEFAULT_TEMPLATES_DIR): TemplateCatalog {
    const hb = Handlebars.create();
    registerHelpers(hb);
    return new TemplateCatalog(hb, dir);
  }

  /** The escaping of this catalog's Handlebars instance (for a `SafeString` body in the layout). */
  safe(html: string): hbs.SafeString {
    return new this.hb.SafeString(html);
  }

  /** The template in `locale`, or in English when that locale's files are missing. */
  template(template: TemplateId, locale: Locale): LocalizedTemplate {
    const found = this.templates.get(`${template}:${locale}`);
    if (!found) throw new Error(`No template ${template}`);
    return found;
  }

  /** The partials (header, footer, link button) of a locale for the HTML or the text part. */
  partials(locale: Locale, kind: 'html' | 'text'): Record<string, CompiledTemplate> {
    const found = this.partialSets.get(`${locale}:${kind}`);
    if (!found) throw new Error(`No partials for ${locale}`);
    return found;
  }

  private templateFile(template: TemplateId, locale: Locale, part: EmailPart): string {
    return join(template, `${locale}.${part}.hbs`);
  }

  private exists(file: string): boolean {
    return existsSync(join(this.dir, file));
  }

  private compileFile(file: string, part: EmailPart): CompiledTemplate {
    const path = join(this.dir, file);
    let source: string;
    try {
      source = readFileSync(path, 'utf8');
    } catch {
      throw new Error(`Email template ${path} is missing.`);
    }
    const options: CompileOptions = {
      strict: true,
      data: true,
      knownHelpers: Object.fromEntries(HELPER_NAMES.map((name) => [name, true])),
      knownHelpersOnly: true,
      // Subject and text are plain text: HTML escaping would show `&amp;` to the reader.
      noEscape: part !== 'html',
    };
    try {
      const ast = this.hb.parse(source);
      assertOnlyEscapedMustaches(ast, path);
      const compilers = this.hb as unknown as HandlebarsCompilers;
      const environment = new compilers.Compiler().compile(ast, options);
      const spec = new compilers.JavaScriptCompiler().compile(
        environment,
        options,
        undefined,
        true,
      );
      return this.hb.template(spec);
    } catch (error) {
      throw new Error(`Email template ${path} does not compile: ${(error as Error).message}`);
    }
  }
}
