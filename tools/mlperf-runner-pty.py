#!/usr/bin/env python3
"""Runs the MLPerf Tiny runner (mlcommons/tiny benchmark/runner/main.py), unmodified, against
firmware on a pseudo-terminal, such as the one `tinyml flash --board qemu-m4 --keep` prints.

The runner finds its DUT only by USB VID:PID (DeviceManager.scan over
serial.tools.list_ports.comports), and a pty has no USB identity. This wrapper adds the pty to
that port list with the VID:PID of the DUT the runner's stock devices_*.yaml names (the
NUCLEO-L4R5ZI's ST-LINK, 0483:374B), then runs main.py with the remaining arguments, in the
runner's directory. Nothing of the runner is changed; every byte it sends and reads goes over
the pty.

    python3 tools/mlperf-runner-pty.py --runner DIR --port /dev/pts/N -- \\
        --dataset_path=DATASETS --device_list=devices_kws_ic_vww.yaml --mode=p
"""
import argparse
import os
import runpy
import sys

import serial.tools.list_ports
from serial.tools.list_ports_common import ListPortInfo

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--runner", required=True, help="the runner's directory (benchmark/runner of mlcommons/tiny)")
parser.add_argument("--port", required=True, help="the DUT's serial port (a pty)")
parser.add_argument("--vid", type=lambda s: int(s, 16), default=0x0483, help="USB vendor id to give the port (hex; default 0483)")
parser.add_argument("--pid", type=lambda s: int(s, 16), default=0x374B, help="USB product id to give the port (hex; default 374B, the L4R5ZI DUT in devices_*.yaml)")
parser.add_argument("--transcript", help="also write every byte the runner reads from the DUT to this file (to check it for e-[…] lines)")
parser.add_argument("args", nargs=argparse.REMAINDER, help="arguments for main.py (after --)")
opts = parser.parse_args()

real_comports = serial.tools.list_ports.comports


def comports(include_links=False):
    port = ListPortInfo(opts.port, skip_link_detection=True)
    port.vid, port.pid = opts.vid, opts.pid
    port.description = f"emulated DUT on {opts.port}"
    port.hwid = f"USB VID:PID={opts.vid:04X}:{opts.pid:04X} (pty)"
    return [p for p in real_comports(include_links) if p.device != opts.port] + [port]


serial.tools.list_ports.comports = comports

if opts.transcript:
    transcript = open(opts.transcript, "wb", buffering=0)
    real_read = serial.Serial.read

    def read(self, size=1):
        data = real_read(self, size)
        if self.port == opts.port:
            transcript.write(data)
        return data

    serial.Serial.read = read
runner = os.path.abspath(opts.runner)
os.chdir(runner)
sys.path.insert(0, runner)
sys.argv = [os.path.join(runner, "main.py")] + [a for a in opts.args if a != "--"]
runpy.run_path(sys.argv[0], run_name="__main__")
