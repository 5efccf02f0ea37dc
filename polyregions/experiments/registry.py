"""The experiments by command name: what ``polyregions experiment NAME`` runs."""

from .convergence_by_init import CONVERGENCE_BY_INIT
from .count_distributions import COUNT_DISTRIBUTIONS
from .init_complexity import INIT_COMPLEXITY
from .parameter_cells import PARAMETER_CELLS
from .runner import Experiment
from .training_complexity import TRAINING_COMPLEXITY

__all__ = ["EXPERIMENTS"]

#: Every experiment, by name, in the order of the seed paper's claims (a)-(d).
EXPERIMENTS: dict[str, Experiment] = {e.name: e for e in (
    INIT_COMPLEXITY, PARAMETER_CELLS, COUNT_DISTRIBUTIONS, TRAINING_COMPLEXITY,
    CONVERGENCE_BY_INIT)}
