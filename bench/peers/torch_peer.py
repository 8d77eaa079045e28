"""PyTorch peer for `npm run bench`: F.conv2d on the same tensors, torch.set_num_threads(threads).

Usage: /usr/bin/python3 torch_peer.py <spec.json> <threads>. Prints one JSON line; writes the
checked batches' outputs (float32 NCHW) next to the inputs, as the JavaScript peers do.
"""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def batches_of(s):
    size = s.get("batch") or s["n"]
    return [(first, min(size, s["n"] - first)) for first in range(0, s["n"], size)]


def main():
    spec_path, threads = sys.argv[1], int(sys.argv[2])
    spec = json.load(open(spec_path))
    torch.set_num_threads(threads)
    results = {}
    for s in spec["shapes"]:
        try:
            load = lambda name: torch.from_numpy(np.fromfile(os.path.join(spec["dir"], f"{s['id']}.{name}.f32"), dtype="<f4"))
            x = load("x").reshape(s["n"], s["cIn"], s["h"], s["w"])
            w = load("w").reshape(s["cOut"], s["cIn"] // s["groups"], s["k"], s["k"])
            b = load("b")
            batches = batches_of(s)
            checked = [0] if len(batches) == 1 else [0, len(batches) - 1]
            kw = dict(stride=s["stride"], padding=s["pad"], dilation=s["dilation"], groups=s["groups"])

            def run_all(keep):
                kept = []
                for i, (first, count) in enumerate(batches):
                    y = F.conv2d(x[first:first + count], w, b, **kw)
                    if keep and i in checked:
                        kept.append(y.numpy().astype("<f4").ravel())
                return kept

            with torch.no_grad():
                np.concatenate(run_all(True)).tofile(os.path.join(spec["dir"], f"out.pytorch.{threads}.{s['id']}.f32"))
                start, done = time.perf_counter(), 0
                while done < spec["warmup"] or (time.perf_counter() - start) * 1000 < spec["warmupMs"]:
                    run_all(False)
                    done += 1
                runs = []
                for _ in range(spec["runs"]):
                    t = time.perf_counter()
                    run_all(False)
                    runs.append((time.perf_counter() - t) * 1000)
            results[s["id"]] = {"runsMs": runs}
        except Exception as e:  # reported per shape, like the other peers
            results[s["id"]] = {"error": str(e).splitlines()[0]}
    print(json.dumps({"peer": "pytorch", "threads": threads, "results": results, "version": torch.__version__}))


if __name__ == "__main__":
    main()
