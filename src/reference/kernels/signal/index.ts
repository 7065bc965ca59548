// TFLM's signal-library custom ops (signal/micro/kernels) for the reference
// interpreter: importing this module registers them. The audio frontend
// (audio_preprocessor_*.tflite) uses exactly these nine.

import { registerCustomKernel } from "../../interpreter.js";
import { signalEnergy } from "./energy.js";
import { signalFftAutoScale } from "./fft-auto-scale.js";
import { signalFilterBank } from "./filter-bank.js";
import { signalFilterBankLog } from "./filter-bank-log.js";
import { signalFilterBankSquareRoot } from "./filter-bank-square-root.js";
import { signalPcan } from "./pcan.js";
import { signalRfft } from "./rfft.js";
import { signalSpectralSubtraction } from "./spectral-subtraction.js";
import { signalWindow } from "./window.js";

registerCustomKernel("SignalWindow", signalWindow);
registerCustomKernel("SignalFftAutoScale", signalFftAutoScale);
registerCustomKernel("SignalRfft", signalRfft);
registerCustomKernel("SignalEnergy", signalEnergy);
registerCustomKernel("SignalFilterBank", signalFilterBank);
registerCustomKernel("SignalFilterBankSquareRoot", signalFilterBankSquareRoot);
registerCustomKernel("SignalFilterBankSpectralSubtraction", signalSpectralSubtraction);
registerCustomKernel("SignalPCAN", signalPcan);
registerCustomKernel("SignalFilterBankLog", signalFilterBankLog);

/** The signal ops the reference (and the aot runtime) implement. */
export const SIGNAL_OPS: readonly string[] = [
  "SignalWindow", "SignalFftAutoScale", "SignalRfft", "SignalEnergy", "SignalFilterBank", "SignalFilterBankSquareRoot",
  "SignalFilterBankSpectralSubtraction", "SignalPCAN", "SignalFilterBankLog",
];
