"""Streaming regions to and from JSON-lines files, so memory stays flat.

A region file (``regions.jsonl``) holds one JSON object per line:

* a header ``{"format": "polyregions/regions-v1", "network": ..., "domain": ...}``
  (the model in the JSON model format v1, the domain's exact specification);
* one line per region: ``pattern``, ``inequalities`` (primitive integer rows
  ``(b, a)`` meaning ``b + a . x >= 0``), ``points`` (vertices as homogeneous
  integer rows ``(q, p)`` for ``p / q``), ``rays`` and ``lines``;
* a footer ``{"end": true, "count": N, "stop_reason": null}``. A file without
  its footer was interrupted: reading it gives the regions written so far,
  marked partial.

Numbers are JSON integers of any size. :func:`read_regions` rebuilds a
:class:`~polyregions.RegionComplex` (affine maps are recomputed from the
patterns), so counts, the region graph and exports can be built from a stream.
"""

import os

from .complex import RegionComplex
from .domain import domain_from_spec
from .engine import prepare
from .errors import PolyregionsError
from .modelio import network_from_dict, network_to_dict
from .numbers import json_dumps, json_loads

__all__ = ["FORMAT", "RegionWriter", "read_regions"]

FORMAT = "polyregions/regions-v1"


class RegionWriter:
    """Write regions to a JSON-lines file as they are produced (a context manager).

    Examples
    --------
    >>> import os, tempfile
    >>> from polyregions import Network, ReluLayer, Box, iter_regions
    >>> net, box = Network(1, [ReluLayer([[1]], [0])]), Box([-1], [1])
    >>> path = os.path.join(tempfile.mkdtemp(), "regions.jsonl")
    >>> with RegionWriter(path, net, box) as out:
    ...     for region in iter_regions(net, box):
    ...         out.write(region)
    >>> len(read_regions(path)), read_regions(path).complete
    (2, True)
    """

    def __init__(self, path, network, domain):
        self.path = os.fspath(path)
        self.count = 0
        self._file = open(self.path, "w", encoding="utf-8")
        self._line({"format": FORMAT, "network": network_to_dict(network),
                    "domain": domain.to_spec()})

    def _line(self, data):
        self._file.write(json_dumps(data, separators=(",", ":")) + "\n")

    def write(self, region):
        poly = region.polytope
        self._line({"pattern": region.pattern, "inequalities": poly.rows, "points": poly._points,
                    "rays": poly._rays, "lines": poly._lines})
        self.count += 1

    def close(self, stop_reason=None):
        """Write the footer (the count, and why the run stopped early if it did)."""
        if not self._file.closed:
            self._line({"end": True, "count": self.count, "stop_reason": stop_reason})
            self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        if kind is None:
            self.close()
        else:  # no footer: the file says it is partial
            self._file.close()


def read_regions(path):
    """Read a region file back into a :class:`~polyregions.RegionComplex`.

    Raises
    ------
    PolyregionsError
        When the file is missing or is not a region file.
    """
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as f:
            lines = [json_loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        raise PolyregionsError(f"region file not found: {path}") from None
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise PolyregionsError(f"cannot read region file {path}: {err}") from None
    if not lines or not isinstance(lines[0], dict) or lines[0].get("format") != FORMAT:
        raise PolyregionsError(f"{path} is not a polyregions region file ({FORMAT})")
    network = network_from_dict(lines[0]["network"])
    domain = domain_from_spec(lines[0]["domain"])
    job, _ = prepare(network, domain)
    footer = lines[-1] if len(lines) > 1 and lines[-1].get("end") else None
    body = lines[1:-1] if footer else lines[1:]
    tuples = lambda rows: tuple(tuple(r) for r in rows)  # noqa: E731
    regions = [job.region_from_pattern(tuples(r["pattern"]), tuples(r["inequalities"]),
                                       tuples(r["points"]), tuples(r["rays"]), tuples(r["lines"]))
               for r in body]
    reason = "interrupt" if footer is None else footer.get("stop_reason")
    return RegionComplex(network, domain, regions, stop_reason=reason)
