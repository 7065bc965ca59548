// Rendering a board family's templates (templates/<family>/<file>.hbs) into
// a build directory. A template is named after the file it produces. Output
// is text for compilers and make, not HTML, so nothing is HTML-escaped;
// values that come from a model never reach a template unsanitized.

import { readFileSync } from "node:fs";
import Handlebars from "handlebars";
import { packagePath } from "../paths.js";

const hb = Handlebars.create();
hb.registerHelper("join", (list: unknown) => (Array.isArray(list) ? list.map(String).join(" ") : ""));

/** Renders templates/<family>/<file>.hbs with `context`. */
export function renderTemplate(family: string, file: string, context: object): string {
  const source = readFileSync(packagePath("templates", family, `${file}.hbs`), "utf8");
  return hb.compile(source, { noEscape: true, strict: true })(context);
}
