// Before any case runs: is this firmware what we mean to test? The model
// hash is the one that matters on a rig — a board still running yesterday's
// flash must fail loudly, naming both hashes and how to rebuild.
import type { Board } from "../boards/board.js";
import type { DeviceInfo } from "../device/client.js";
import type { Graph } from "../model/ir.js";
import type { LoadedModel } from "../model/load.js";
import type { Check } from "./report.js";

export function firmwareChecks(info: DeviceInfo, board: Board, loaded: LoadedModel, graph: Graph, rebuild: string): Check[] {
  const checks: Check[] = [];
  const hashOk = info.modelSha256 === loaded.sha256;
  checks.push({
    name: "model hash",
    status: hashOk ? "pass" : "fail",
    ...(hashOk ? {} : {
      message: `the firmware was built from a different model: firmware model SHA-256 ${info.modelSha256}, ${loaded.path} has ${loaded.sha256}. Rebuild and flash it: ${rebuild}`,
    }),
  });
  const boardOk = info.boardId === board.id;
  checks.push({
    name: "board id",
    status: boardOk ? "pass" : "fail",
    ...(boardOk ? {} : { message: `the firmware was built for board '${info.boardId}', the test is for '${board.id}'. Rebuild it: ${rebuild}` }),
  });
  checks.push({
    name: "model init",
    status: info.modelInitOk ? "pass" : "fail",
    ...(info.modelInitOk ? {} : { message: "tml_model_init() failed on the device (arena too small or an op the runtime lacks)" }),
  });
  const tensorsOk =
    info.inputs.length === graph.inputs.length && info.outputs.length === graph.outputs.length &&
    info.inputs.every((s, k) => s.shape.join(",") === graph.tensors[graph.inputs[k]!]!.shape.join(",")) &&
    info.outputs.every((s, k) => s.shape.join(",") === graph.tensors[graph.outputs[k]!]!.shape.join(","));
  checks.push({
    name: "tensor specs",
    status: tensorsOk ? "pass" : "fail",
    ...(tensorsOk ? {} : {
      message: `the firmware's inputs [${info.inputs.map((s) => s.shape.join("x")).join(", ")}] / outputs [${info.outputs.map((s) => s.shape.join("x")).join(", ")}] differ from the model's`,
    }),
  });
  // Without a stage, warm-up and repeated runs would read an input the memory plan already overwrote.
  const stageOk = info.stageBytes > 0 || graph.inputs.length === 0;
  checks.push({
    name: "input stage",
    status: stageOk ? "pass" : "fail",
    ...(stageOk ? {} : { message: `the firmware keeps no copy of its inputs (TML_APP_INPUT_STAGE_BYTES), so repeated runs would see overwritten inputs. Rebuild it: ${rebuild}` }),
  });
  return checks;
}
