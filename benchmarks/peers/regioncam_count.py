"""regioncam's region count of a float32 ReLU network on the square [-size, size]^2.

Runs in the bench venv (``benchmarks/peer_env.py``), called by ``compare_peers.py``:

    python regioncam_count.py LAYERS.npz SIZE REPEAT

``LAYERS.npz`` holds ``w0, b0, w1, b1, ...`` (weights of shape ``(units, inputs)``,
float32), every layer followed by a ReLU. Prints one JSON line: the number of
faces, the best of `REPEAT` counting times (building the partition, no loading)
and regioncam's version.
"""

import importlib.metadata
import json
import sys
import time

import numpy as np
import regioncam


def load_layers(path):
    data = np.load(path)
    return [(np.ascontiguousarray(data[f"w{i}"].T), data[f"b{i}"])
            for i in range(len(data.files) // 2)]


def count_faces(layers, size):
    cam = regioncam.Regioncam(size=size)
    for weights, biases in layers:
        cam.linear(weights, biases)  # regioncam computes x @ weights + biases
        cam.relu()
    return cam.num_faces


def main(path, size, repeat):
    layers = load_layers(path)
    best, count = float("inf"), None
    for _ in range(int(repeat)):
        start = time.perf_counter()
        count = count_faces(layers, float(size))
        best = min(best, time.perf_counter() - start)
    print(json.dumps({"regions": count, "seconds": best,
                      "version": importlib.metadata.version("regioncam")}))


if __name__ == "__main__":
    main(*sys.argv[1:])
