// Who spoke a clip, from its file name, so validation can hold out whole
// speakers: a head validated on other clips of the voices it trained on
// looks far better than it is on a new voice (issue 17: 92-100% printed,
// 60-92% on unseen voices). Two conventions, the first Speech Commands':
//   <keyword>/<speaker>_nohash_<n>.wav
//   <keyword>/<speaker>__<anything>.wav
// Clips that follow neither have no speaker; background noise never does.

import { basename } from "node:path";

const NOHASH = /^(.+?)_nohash_/;
const DOUBLE = /^(.+?)__./;

/** The speaker a clip's file name names, or undefined. */
export function speakerOf(name: string): string | undefined {
  const file = basename(name);
  return NOHASH.exec(file)?.[1] ?? DOUBLE.exec(file)?.[1];
}
