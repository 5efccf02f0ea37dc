"""Random and hand-built test networks, as oracle layer dicts and as Networks.

The oracles in ``tests/oracles`` take plain layer dicts with Fractions; the
package takes the same dicts through :func:`polyregions.network_from_dict`, so
both sides see exactly the same parameters.
"""

import random
from fractions import Fraction

from polyregions import network_from_dict


def to_network(layers, input_dim):
    return network_from_dict({"input_dim": input_dim, "layers": layers})


def box_rows(lower, upper):
    """Rows ``(b, a)`` with ``b + a . x >= 0`` for the box, written out by hand."""
    n = len(lower)
    rows = []
    for i in range(n):
        e = tuple(Fraction(int(i == j)) for j in range(n))
        rows.append((-Fraction(lower[i]), e))
        rows.append((Fraction(upper[i]), tuple(-v for v in e)))
    return rows


def rational(rng, size=5, den=4):
    return Fraction(rng.randint(-size, size), rng.randint(1, den))


def random_layer(rng, kind, units, fan_in, rank=3, degenerate=False):
    """A random layer dict; `degenerate` repeats units, pieces and zeroes rows."""
    def vec():
        return [rational(rng) for _ in range(fan_in)]

    if kind == "maxout":
        weights = [[vec() for _ in range(rank)] for _ in range(units)]
        biases = [[rational(rng) for _ in range(rank)] for _ in range(units)]
        if degenerate:
            for u in range(units):
                roll = rng.random()
                if roll < 0.3 and rank > 1:  # two identical pieces
                    k, j = rng.sample(range(rank), 2)
                    weights[u][k], biases[u][k] = list(weights[u][j]), biases[u][j]
                elif roll < 0.45:  # a zero piece
                    k = rng.randrange(rank)
                    weights[u][k] = [Fraction(0)] * fan_in
                elif roll < 0.55 and rank > 2:  # a piece that only touches the max
                    k, i, j = rng.sample(range(rank), 3)
                    weights[u][k] = [(a + b) / 2 for a, b in zip(weights[u][i], weights[u][j])]
                    biases[u][k] = (biases[u][i] + biases[u][j]) / 2
                elif roll < 0.7 and u > 0:  # a duplicate unit
                    weights[u] = [list(w) for w in weights[u - 1]]
                    biases[u] = list(biases[u - 1])
        return {"type": "maxout", "weights": weights, "biases": biases}
    weights = [vec() for _ in range(units)]
    biases = [rational(rng) for _ in range(units)]
    if degenerate:
        for u in range(units):
            roll = rng.random()
            if roll < 0.2:
                weights[u] = [Fraction(0)] * fan_in
            elif roll < 0.4 and u > 0:
                weights[u], biases[u] = list(weights[u - 1]), biases[u - 1]
            elif roll < 0.5 and u > 0:  # the same hyperplane, scaled
                c = Fraction(rng.randint(1, 3), rng.randint(1, 3))
                weights[u] = [c * w for w in weights[u - 1]]
                biases[u] = c * biases[u - 1]
    layer = {"type": kind, "weights": weights, "biases": biases}
    if kind == "leaky_relu":
        layer["slope"] = Fraction(rng.randint(0, 3), 4)
    return layer


def random_network(seed, input_dim, widths, kinds, rank=3, degenerate=False, outputs=0):
    """Layer dicts of a random network with the given hidden widths and kinds."""
    rng = random.Random(seed)
    layers, fan_in = [], input_dim
    for units, kind in zip(widths, kinds):
        layers.append(random_layer(rng, kind, units, fan_in, rank, degenerate))
        fan_in = units
    if outputs:
        layers.append(random_layer(rng, "linear", outputs, fan_in))
    return layers


def random_net(seed, input_dim, widths, kinds, **options):
    """The Network of :func:`random_network` with the same arguments."""
    return to_network(random_network(seed, input_dim, widths, kinds, **options), input_dim)


def oracle_layers(network):
    """The layers of a :class:`polyregions.Network` in the oracles' format (exact Fractions)."""
    from polyregions.network import network_to_dict

    def exact(value):
        return [exact(v) for v in value] if isinstance(value, list) else Fraction(value)

    return [{key: exact(v) if key in ("weights", "biases") else v for key, v in layer.items()}
            for layer in network_to_dict(network)["layers"]]
