"""The records of one root work item drained with a kernel backend and cell paths, for tests that
compare the backends record by record."""

from polyregions.enumeration.engine import prepare
from polyregions.enumeration.kernel import EngineOptions


def drained_records(net, domain, kernel, polygon_path=True, incidence_path=True, float_filter=True):
    """Every record of `net` in `domain`, in walk order, with these engine options."""
    job, root = prepare(net, domain, EngineOptions(kernel=kernel, polygon_path=polygon_path,
                                                   incidence_path=incidence_path,
                                                   float_filter=float_filter))
    return list(job.drain([root]))
