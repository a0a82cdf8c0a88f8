// Builds OpenMARAC's front-end assets into openmarac/static/build/ (not committed).
//
//   openmarac.css                 frontend/scss/openmarac.scss, compressed, no source map
//   govuk-frontend.min.js (+.map) GOV.UK Frontend's JavaScript, loaded as a module
//   assets/images/                images referenced by GOV.UK Frontend's CSS
//   timeout-dialog.js             the time-out warning (frontend/js/), loaded as a module
//   assets/images/                images referenced by GOV.UK Frontend's CSS, and its icons
//   assets/manifest.json          GOV.UK Frontend's web app manifest, naming those icons
//   test/axe.min.js               axe-core, injected only by the browser tests
//
// Run with `npm run build`. The output directory is emptied first, so the build is repeatable.

import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import * as sass from "sass";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const out = join(root, "openmarac", "static", "build");
const govuk = join(modules, "govuk-frontend", "dist", "govuk");

function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
  console.log(`copied   ${relative(root, to)}`);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const css = sass.compile(join(root, "frontend", "scss", "openmarac.scss"), {
  loadPaths: [modules],
  style: "compressed",
  sourceMap: false,
  // Deprecation warnings inside GOV.UK Frontend are for its maintainers, not for this build.
  quietDeps: true,
});
if (/GDS Transport/i.test(css.css)) {
  throw new Error("openmarac.css must not reference the GDS Transport font");
}
writeFileSync(join(out, "openmarac.css"), css.css + "\n");
console.log(`compiled ${relative(root, join(out, "openmarac.css"))}`);

// The .map is copied too, because the script names it in a sourceMappingURL comment.
copy(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
copy(join(govuk, "govuk-frontend.min.js.map"), join(out, "govuk-frontend.min.js.map"));
copy(join(govuk, "assets", "images"), join(out, "assets", "images"));
copy(join(root, "frontend", "js", "timeout-dialog.js"), join(out, "timeout-dialog.js"));
copy(join(govuk, "assets", "manifest.json"), join(out, "assets", "manifest.json"));
copy(join(modules, "axe-core", "axe.min.js"), join(out, "test", "axe.min.js"));
