// The shared models on the emulated Cortex-M7.
import { qemuBoardSuite } from "./qemu-boards.js";

qemuBoardSuite("qemu-m7");
