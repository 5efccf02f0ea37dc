"""Benchmark networks: random maxout networks drawn as in the seed paper's code,
and float32 ReLU networks for the comparisons with float tools.

Maxout weights and biases are Gaussian with standard deviation sqrt(c / fan_in),
c = 0.5555 for rank 5 (the official code's 1/M_5), 1/M_K in general; the final
linear layer uses 2/fan_in. ReLU weights and biases are He normal,
sqrt(2 / fan_in), rounded to float32 (the float tools' number type). Floats are
taken at their exact binary value.
"""

import numpy as np

from polyregions import network_from_arrays, network_from_dict

__all__ = ["maxout_network", "model_dict", "BENCHMARK", "relu_float32_layers", "relu_network"]

#: 1/M_K for K = 2..5 as the official implementation writes them.
INV_M = {1: 1.0, 2: 1.0, 3: 1 / 1.2756644477108, 4: 1 / 1.5513288954217, 5: 0.5555}


def maxout_network(widths, rank, outputs=2, seed=0):
    """A random maxout network ``widths = [n0, n1, ...]`` of `rank` with a linear head."""
    return network_from_dict(model_dict(widths, rank, outputs, seed))


def model_dict(widths, rank, outputs=2, seed=0):
    """The JSON model dict of :func:`maxout_network` (float entries, exact binary64)."""
    rng = np.random.default_rng(seed)
    layers = []
    for fan_in, units in zip(widths[:-1], widths[1:]):
        std = np.sqrt(INV_M[rank] / fan_in)
        layers.append({"type": "maxout",
                       "weights": rng.normal(0, std, (units, rank, fan_in)).tolist(),
                       "biases": rng.normal(0, std, (units, rank)).tolist()})
    if outputs:
        std = np.sqrt(2 / widths[-1])
        layers.append({"type": "linear",
                       "weights": rng.normal(0, std, (outputs, widths[-1])).tolist(),
                       "biases": rng.normal(0, std, outputs).tolist()})
    return {"format": "polyregions/network-v1", "input_dim": widths[0], "layers": layers}


def relu_float32_layers(widths, seed=0):
    """He-normal float32 ``(weights, biases)`` of the ReLU layers ``widths = [n0, n1, ...]``.

    Weights have the shape ``(units, inputs)``; every layer is followed by a ReLU.
    """
    rng = np.random.default_rng(seed)
    layers = []
    for fan_in, units in zip(widths[:-1], widths[1:]):
        std = np.sqrt(2 / fan_in)
        layers.append((rng.normal(0, std, (units, fan_in)).astype(np.float32),
                       rng.normal(0, std, units).astype(np.float32)))
    return layers


def relu_network(input_dim, layers):
    """The exact :class:`~polyregions.Network` of :func:`relu_float32_layers`' layers."""
    return network_from_arrays(input_dim, [("relu", w.astype(np.float64), b.astype(np.float64))
                                           for w, b in layers])


#: The issue's benchmark: [2, 20, 20] rank 5, two outputs, on [-3, 3]^2.
BENCHMARK = dict(widths=[2, 20, 20], rank=5, outputs=2, seed=20)


if __name__ == "__main__":
    # Regenerates polyregions/data/default_network.json (the network `make demo` runs).
    import json
    import pathlib

    target = pathlib.Path(__file__).resolve().parent.parent / "polyregions/data/default_network.json"
    target.write_text(json.dumps(model_dict(**BENCHMARK)) + "\n")
    print(f"wrote {target}")
