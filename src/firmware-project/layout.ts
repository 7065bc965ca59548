// Where each manifest source lands in a family's project. Logical paths stay
// as they are for host and bare metal; ESP-IDF puts them under main/, the
// Arduino sketch flattens them into src/ (renaming .cc to .cpp), coralmicro
// under src/.

import { basename, extname } from "node:path";
import type { FamilyLayout, SourceGroup } from "./families.js";
import type { ProjectManifest } from "./manifest.js";
import { insideProject, renderText } from "./render.js";
import { PROJECT_NAME } from "./families.js";

export interface PlacedSource {
  /** Relative to the project directory. */
  path: string;
  group: SourceGroup;
  from?: string;
  content?: string;
}

export interface Placement {
  placed: PlacedSource[];
  /** The directory build files list sources from. */
  listRoot: string;
  /** Where the sources were written (logical "." is this directory). */
  sourceRoot: string;
  /** A flat layout: every include directory is the source root. */
  flat: boolean;
}

export function placeSources(manifest: ProjectManifest, layout: FamilyLayout): Placement {
  const sketch = PROJECT_NAME;
  const sourceRoot = layout.sourceRoot === "." ? "." : insideProject(renderText(layout.sourceRoot, { sketch }), "source root");
  const listRoot = renderText(layout.listRoot, { sketch });
  const seen = new Map<string, string>();
  const placed = manifest.sources.map((s) => {
    const dest = insideProject(s.dest, "source");
    const renamed = layout.rename[extname(dest)];
    const file = renamed ? `${dest.slice(0, -extname(dest).length)}${renamed}` : dest;
    const name = layout.flatten ? basename(file) : file;
    const path = sourceRoot === "." ? name : `${sourceRoot}/${name}`;
    const clash = seen.get(path);
    if (clash) throw new Error(`sources '${clash}' and '${s.dest}' both land on ${path} in a flat layout`);
    seen.set(path, s.dest);
    return { path, group: s.group, ...(s.from !== undefined ? { from: s.from } : {}), ...(s.content !== undefined ? { content: s.content } : {}) };
  });
  return { placed, listRoot, sourceRoot, flat: layout.flatten };
}
