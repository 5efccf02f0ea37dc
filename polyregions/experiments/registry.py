"""The experiments by command name: what ``polyregions experiment NAME`` runs."""

from .init_complexity import INIT_COMPLEXITY
from .runner import Experiment

__all__ = ["EXPERIMENTS"]

#: Every experiment, by name, in the order of the seed paper's claims (a)-(d).
EXPERIMENTS: dict[str, Experiment] = {e.name: e for e in (INIT_COMPLEXITY,)}
