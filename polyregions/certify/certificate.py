"""Certificates: one self-contained JSON file that lets anyone re-check a region count.

A certificate holds the exact network, the exact domain and every region with
its activation pattern, its irredundant H-representation, a rational interior
point and its exact volume. :func:`polyregions.certify.verifier.verify_certificate`
re-checks it along a separate code path (see ``docs/certificates.md``)::

    {"format": "polyregions/certificate-v1",
     "network": {... JSON model format v1 ...},
     "domain": {"kind": "box", "lower": [...], "upper": [...], ...},
     "regions": [{"pattern": [[k, ...], ...],
                  "inequalities": [["b", "a1", ...], ...],   # b + a . x >= 0
                  "interior_point": ["p/q", ...],
                  "volume": "p/q" or null}, ...],
     "count": N,
     "max_regions_bound": "M",
     "max_regions_bound_is_exact": true or false}

Regions, inequalities and points are in domain coordinates (the slice
coordinates ``(s, t)`` for a slice). All numbers are exact strings. The bound
and its exactness are :func:`polyregions.bounds.network_max_regions` of the
network. The verifier requires exactly these fields (and the domain's
``Domain.to_spec()`` fields): add one here, and it must learn to check it.
"""

import os
from typing import Any

from ..bounds import network_max_regions
from ..enumeration.complex import RegionComplex
from ..errors import CertificateError
from ..network import network_to_dict
from ..numbers import format_fraction, int_to_decimal, json_dumps

__all__ = ["CERTIFICATE_V1", "certificate_dict", "write_certificate"]

CERTIFICATE_V1 = "polyregions/certificate-v1"


def certificate_dict(result: RegionComplex) -> dict[str, Any]:
    """Return the certificate of a complete enumeration as a JSON-ready dict.

    Parameters
    ----------
    result : RegionComplex
        The result of :func:`polyregions.enumerate_regions`.

    Raises
    ------
    CertificateError
        When `result` is partial (a limit or an interruption stopped it):
        a certificate proves a count, and a partial result proves none.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box, enumerate_regions
    >>> cert = certificate_dict(enumerate_regions(Network(1, [ReluLayer([[1]], [0])]),
    ...                                          Box([-1], [1])))
    >>> cert["count"], [r["volume"] for r in cert["regions"]]
    (2, ['1', '1'])
    """
    if not result.complete:
        raise CertificateError(
            f"refusing to certify a partial result (stopped by {result.stop_reason}): "
            "it holds only some of the regions"
        )
    bound, exact = network_max_regions(result.network)
    return {
        "format": CERTIFICATE_V1,
        "network": network_to_dict(result.network),
        "domain": result.domain.to_spec(),
        "regions": [_region_dict(r) for r in result.regions],
        "count": len(result.regions),
        "max_regions_bound": int_to_decimal(int(bound)),
        "max_regions_bound_is_exact": bool(exact),
    }


def _region_dict(region):
    volume = region.polytope.volume()
    return {
        "pattern": [list(p) for p in region.pattern],
        "inequalities": [[format_fraction(v) for v in row] for row in region.polytope.rows],
        "interior_point": [format_fraction(v) for v in region.interior_point()],
        "volume": None if volume is None else format_fraction(volume),
    }


def write_certificate(result: RegionComplex, path: str | os.PathLike[str]) -> dict[str, Any]:
    """Write the certificate of `result` to the JSON file `path`.

    Returns
    -------
    dict
        The certificate written.

    Raises
    ------
    CertificateError
        When `result` is partial or the file cannot be written.

    Examples
    --------
    >>> import os, tempfile
    >>> from polyregions import Box, Network, ReluLayer, enumerate_regions, verify_certificate
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> path = os.path.join(tempfile.mkdtemp(), "cert.json")
    >>> write_certificate(enumerate_regions(net, Box.cube(2, -1, 1)), path)["count"]
    4
    >>> verify_certificate(path).ok
    True
    """
    cert = certificate_dict(result)
    try:
        with open(os.fspath(path), "w", encoding="utf-8") as f:
            f.write(json_dumps(cert, separators=(",", ":")) + "\n")
    except OSError as err:
        raise CertificateError(f"cannot write certificate {path}: {err}") from err
    return cert
