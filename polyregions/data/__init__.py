"""Data shipped with polyregions: the default network that ``polyregions demo`` runs."""

from __future__ import annotations

import json
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..network import Network

__all__ = ["default_network"]


def default_network() -> Network:
    """The [2, 20, 20] rank-5 maxout network with a 2-output linear layer.

    Drawn by ``benchmarks/networks.py`` (seed 20) as in the seed paper's code:
    Gaussian weights and biases with standard deviation sqrt(0.5555 / fan_in).
    It has 2,354 activation regions in [-3, 3]^2.

    Examples
    --------
    >>> default_network().widths
    (2, 20, 20, 2)
    """
    from ..network import network_from_dict

    text = resources.files(__package__).joinpath("default_network.json").read_text()
    return network_from_dict(json.loads(text))
