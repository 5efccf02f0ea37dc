"""Proofs of ``holds``: the search's cover of each case, with the data that proves each part.

A proof (format ``polyregions/proof-v1``) holds the network (model format v1),
the property (its cases, exactly) and, per case, the search's nodes in
depth-first order. Each entry is one step on the current node:

``{"stable": l, "units": [[u, k, mu], ...]}``
    Unit ``u`` of layer ``l`` takes piece ``k`` on the whole node. ``mu`` is
    null when the box alone proves it (``p_k - p_j >= 0`` at the box's worst
    corner, for every other piece ``j``), or one list of multipliers over the
    node's rows for the two-piece case: ``(p_k - p_j) - sum mu_i h_i >= 0``
    over the box.
``{"box": [[i, s, v, mu], ...]}``
    The node lies in ``s * x_i >= s * v`` (``s`` is 1 for a lower side, -1
    for an upper one): ``s * x_i - sum mu_k h_k >= s * v`` over the current
    box. From here on, the box is the smaller one.
``{"bisect": [i, v]}``
    The node's box is halved at ``x_i = v``; the entries of the half with
    ``x_i <= v`` follow, then those of the half with ``x_i >= v``.
``{"split": [l, u]}``
    The node is split into one child per piece ``k`` of the unit, each with
    the rows ``p_k - p_j >= 0`` (``j != k``, in order) added after the node's
    rows; the children's entries follow, in order of ``k``.
``{"refute": [{"conjunction": i, "y": [...], "mu": [...]}, ...], "codes": [...]}``
    On the node, output conjunction ``i`` cannot hold: with the output bounds
    of the relaxation that `codes` names (:mod:`~polyregions.verification.relaxation`),
    ``sum_j y_j U_j + sum_k mu_k h_k < 0`` over the box, ``U_j`` the upper
    bound of row ``j`` of the conjunction. A node is closed when every
    conjunction of its case is refuted on it or on an ancestor.
``{"exact": [{"conjunction": i, "weights": [...]}, ...]}``
    At a node where every hidden unit is decided, conjunction ``i``'s rows,
    exact over ``x``, and the node's rows have no common point: the weights
    (the rows of the conjunction, then the node's) prove it
    (:func:`polyregions.verification.leaf.refutation_holds`).

A node's rows are the case's input constraints, then the rows of the splits
above it, each a primitive integer row over ``(1, x)``. Multipliers refer to
those integer rows and to the property's integer rows, exactly (``"p/q"``).
Why a verified proof proves the property is in ``docs/certificates.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ..io.vnnlib import Constraint, Property
from ..network import Network, network_to_dict
from ..numbers import format_fraction

__all__ = ["ProofLog", "PROOF_V1", "property_to_dict"]

PROOF_V1 = "polyregions/proof-v1"


def _numbers(values: Sequence[Fraction | int | float]) -> list[str]:
    return [format_fraction(Fraction(v)) for v in values]


def _constraint(c: Constraint) -> dict[str, Any]:
    return {"row": [str(v) for v in c.row], "strict": c.strict}


def property_to_dict(prop: Property) -> dict[str, Any]:
    """The property, exactly, as a JSON-ready dict (the ``property`` of a proof).

    Examples
    --------
    >>> from polyregions.io.vnnlib import Case
    >>> property_to_dict(Property(1, 1, [Case([0], ["1/2"])]))["cases"][0]["upper"]
    ['1/2']
    """
    return {"n_inputs": prop.n_inputs, "n_outputs": prop.n_outputs,
            "cases": [{"lower": _numbers(case.lower), "upper": _numbers(case.upper),
                       "input_constraints": [_constraint(c) for c in case.input_constraints],
                       "output": [[_constraint(c) for c in conj] for conj in case.output]}
                      for case in prop.cases]}


class ProofLog:
    """The entries of a proof, recorded while the search runs.

    Examples
    --------
    >>> from polyregions import LinearLayer, Network
    >>> from polyregions.io.vnnlib import parse_property
    >>> prop = parse_property("(declare-const X_0 Real)(declare-const Y_0 Real)"
    ...                       "(assert (>= X_0 0))(assert (<= X_0 1))(assert (>= Y_0 2))")
    >>> log = ProofLog(Network(1, [LinearLayer([[1]], [0])]), prop)
    >>> log.begin_case(0)
    >>> log.split(0, 0)
    >>> log.entries()
    [{'split': [0, 0]}]
    """

    def __init__(self, network: Network, prop: Property) -> None:
        self._network, self._property = network, prop
        self._cases: list[dict[str, Any]] = []
        self._target: list[Any] = []

    def begin_case(self, index: int) -> None:
        """Start the entries of case `index`."""
        self._target = []
        self._cases.append({"case": index, "nodes": self._target})

    def capture(self) -> list[Any]:
        """Send the entries that follow to a new list, and return it (for subtrees run apart)."""
        self._target = []
        return self._target

    def entries(self) -> list[Any]:
        """The entries recorded since the case began or the last :meth:`capture`."""
        return self._target

    def set_case_entries(self, entries: list[Any]) -> None:
        """The entries of the current case, assembled from subtrees in depth-first order."""
        self._cases[-1]["nodes"] = entries

    def _add(self, entry: dict[str, Any]) -> None:
        self._target.append(entry)

    def stable(self, layer: int, units: Sequence[tuple[int, int, Sequence[Sequence[Fraction]] | None]]
               ) -> None:
        """Units decided on the whole node; multipliers exact, or None for the box alone."""
        self._add({"stable": layer, "units": [
            [u, k, None if mu is None else [_numbers(m) for m in mu]] for u, k, mu in units]})

    def box(self, sides: Sequence[tuple[int, int, Fraction, Sequence[Fraction]]]) -> None:
        """Sides of the node's box moved in: ``sign * x_i >= sign * value`` on the node."""
        self._add({"box": [[i, sign, format_fraction(value), _numbers(mu)]
                           for i, sign, value, mu in sides]})

    def bisect(self, dimension: int, value: Fraction) -> None:
        """A split of the node's box at ``x_dimension = value``: the lower half first."""
        self._add({"bisect": [dimension, format_fraction(value)]})

    def split(self, layer: int, unit: int) -> None:
        """A split of the node along the pieces of one unit."""
        self._add({"split": [layer, unit]})

    def refute(self, refuted: Sequence[tuple[int, Sequence[Fraction], Sequence[Fraction]]],
               codes: Sequence[str], intervals: Sequence[tuple[float | None, float]]) -> None:
        """Conjunctions refuted on the node by the relaxation of `codes` and `intervals`."""
        self._add({"refute": [{"conjunction": i, "y": _numbers(y), "mu": _numbers(mu)}
                              for i, y, mu in refuted], "codes": list(codes),
                   "intervals": [[None if lo is None else format_fraction(Fraction(lo)),
                                  format_fraction(Fraction(hi))] for lo, hi in intervals]})

    def refute_exactly(self, certificates: Sequence[tuple[int, Sequence[Fraction]]]) -> None:
        """Conjunctions refuted exactly on a node where every unit is decided."""
        self._add({"exact": [{"conjunction": i, "weights": _numbers(w)} for i, w in certificates]})

    def proof(self) -> dict[str, Any]:
        """The proof as a JSON-ready dict."""
        return {"format": PROOF_V1, "network": network_to_dict(self._network),
                "property": property_to_dict(self._property), "cases": self._cases}
