"""Streaming regions to and from JSON-lines files, so memory stays flat.

A region file (``regions.jsonl``) holds one JSON object per line:

* a header ``{"format": "polyregions/regions-v2", "network": ..., "domain": ...}``
  (the model in the JSON model format v1, the domain's exact specification);
* one line per region: ``pattern``, ``inequalities`` (primitive integer rows
  ``(b, a)`` meaning ``b + a . x >= 0``), ``points`` (vertices as homogeneous
  integer rows ``(q, p)`` for ``p / q``), ``rays`` and ``lines``;
* a footer ``{"end": true, "count": N, "stop_reason": null, "sha256": H}``: ``N``
  region lines, and ``H`` the hex SHA-256 of the exact bytes of every line
  before the footer (header and regions, each with its newline).

Reading checks the footer: a file whose count or checksum does not match reads
as corrupt (:class:`~polyregions.errors.CorruptFileError`). A file without its
footer was interrupted: reading it gives the regions written so far, marked
partial; a last line cut short (no newline) is left out. The footer is written
last, so anything after it (whole lines, or bytes without a final newline)
makes the file corrupt. Files of the older format ``polyregions/regions-v1``
(no checksum) are still read, checking their count only.

The same checked JSON-lines layout (header, records, footer with count and
checksum) stores the parts of a checkpoint (:mod:`polyregions.enumeration.parallel`), through
:class:`LineWriter` and :func:`read_lines`.

Numbers are JSON integers of any size. :func:`read_regions` rebuilds a
:class:`~polyregions.RegionComplex` (affine maps are recomputed from the
patterns), so counts, the region graph and exports can be built from a stream.
"""

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, BinaryIO, ClassVar

from ..domain import Domain, domain_from_spec
from ..errors import CorruptFileError, ExportError
from ..network import Network, network_from_dict, network_to_dict
from ..numbers import json_dumps, json_loads
from .complex import Region, RegionComplex
from .engine import Job, prepare

__all__ = ["FORMAT", "RegionWriter", "read_regions", "LineWriter", "StoredLines", "read_lines"]

FORMAT = "polyregions/regions-v2"
_FORMAT_V1 = "polyregions/regions-v1"  # before checksums: the footer has no "sha256"
_REGION_KEYS = {"pattern", "inequalities", "points", "rays", "lines"}
_STOP_REASONS = {None, "max_regions", "time_limit", "interrupt"}


def _json_line(data: object) -> bytes:
    return (json_dumps(data, separators=(",", ":")) + "\n").encode("ascii")


class LineWriter:
    """JSON lines to a binary file: a header, records, and a footer that checks them.

    The footer is ``{"end": true, "count": N, ..., "sha256": H}`` with ``N`` the
    number of records and ``H`` the hex SHA-256 of the exact bytes of every line
    before the footer (the header and the records, each with its newline).

    Examples
    --------
    >>> import io
    >>> out = io.BytesIO()
    >>> writer = LineWriter(out, {"format": "example"})
    >>> writer.write([1, 2])
    >>> writer.end(stop_reason=None)
    >>> out.getvalue().decode().splitlines()[1:2]
    ['[1,2]']
    """

    def __init__(self, file: BinaryIO, header: object) -> None:
        self._file, self._digest, self.count = file, hashlib.sha256(), 0
        self._put(header)

    def _put(self, data: object) -> None:
        line = _json_line(data)
        self._digest.update(line)
        self._file.write(line)

    def write(self, record: object) -> None:
        """Write one record (any JSON value but an object with an ``"end"`` key)."""
        self._put(record)
        self.count += 1

    def end(self, **fields: object) -> None:
        """Write the footer, with the extra `fields` before the checksum."""
        self._file.write(_json_line({"end": True, "count": self.count, **fields,
                                     "sha256": self._digest.hexdigest()}))


@dataclass(frozen=True)
class StoredLines:
    """What :func:`read_lines` found: the lines as written, not yet checked against the footer.

    `records` is empty unless the file was parsed; `lines` counts the records;
    `digest` is the hex SHA-256 of the bytes before the footer (of every whole
    line when there is no footer).

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "example.jsonl")
    >>> with open(path, "wb") as f:
    ...     writer = LineWriter(f, {"format": "example"})
    ...     writer.write([1, 2])
    ...     writer.end()
    >>> stored = read_lines(path)
    >>> stored.header, stored.records, stored.lines, len(stored.digest)
    ({'format': 'example'}, ([1, 2],), 1, 64)
    """

    header: Any
    records: tuple[Any, ...]
    footer: dict[str, Any] | None
    lines: int
    digest: str

    def check(self, path: str | os.PathLike[str], what: str, keys: Iterable[str]) -> None:
        """Raise :class:`CorruptFileError` unless the footer has `keys` and matches the records.

        The checksum is compared when ``"sha256"`` is one of `keys`.
        """
        footer = self.footer
        if footer is None:
            raise CorruptFileError(f"{what} {path} is corrupt: it has no footer")
        keys = tuple(keys)
        if set(footer) != set(keys) or footer["end"] is not True:
            raise CorruptFileError(f"{what} {path} is corrupt: its footer has the fields "
                                   f"{sorted(footer)}, expected {sorted(keys)}")
        count, digest = footer["count"], footer.get("sha256", self.digest)
        if type(count) is not int or (count, digest) != (self.lines, self.digest):
            raise CorruptFileError(
                f"{what} {path} is corrupt: its footer says {count!r} records with SHA-256 "
                f"{str(digest)[:16]}..., the file holds {self.lines} with {self.digest[:16]}...")


def read_lines(path: str | os.PathLike[str], what: str = "file", *, parse: bool = True) -> StoredLines:
    """Read a file written by :class:`LineWriter`, without trusting it.

    A line is whole when it ends with a newline (the writer ends every line
    with one); a last line without it was cut short and is left out. The last
    whole line is the footer if it is an object with an ``"end"`` key. The
    footer is written last: bytes after it, a cut line or whole lines, make the
    file corrupt (whole lines are found when the records are parsed; unparsed,
    the last line is then not a footer). Check the footer with
    :meth:`StoredLines.check`.

    Parameters
    ----------
    path : str or path-like
    what : str
        How error messages name the file ("region file", "checkpoint part").
    parse : bool
        Parse the records; otherwise only the header and the footer are parsed
        (enough to check a file).

    Raises
    ------
    OSError
        When the file cannot be read.
    CorruptFileError
        When a whole line is not JSON, the file has no whole line, or
        something follows the footer.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "example.jsonl")
    >>> with open(path, "wb") as f:
    ...     writer = LineWriter(f, {"format": "example"})
    ...     writer.write([1, 2])
    ...     writer.end()
    >>> stored = read_lines(path)
    >>> stored.records, stored.footer["count"]
    (([1, 2],), 1)
    >>> stored.check(path, "file", ("end", "count", "sha256"))
    """
    with open(path, "rb") as f:
        raw_lines = f.readlines()
    tail = raw_lines.pop() if raw_lines and not raw_lines[-1].endswith(b"\n") else b""
    if not raw_lines:
        raise CorruptFileError(f"{what} {path} is empty or cut short inside its first line")

    def value(number: int) -> Any:
        try:
            return json_loads(raw_lines[number])
        except (UnicodeDecodeError, ValueError) as err:
            raise CorruptFileError(f"{what} {path} is corrupt: line {number + 1} is not "
                                   f"JSON ({err})") from None

    def after_footer(number: int, what_follows: str) -> CorruptFileError:
        # The footer is written last: whatever follows it was added or damaged later.
        return CorruptFileError(f"{what} {path} is corrupt: {what_follows} after its footer "
                                f"(line {number + 1})")

    def record(number: int) -> Any:
        # A record is never a footer, so a footer among the records has lines after it.
        line = value(number)
        if _is_footer(line):
            raise after_footer(number, f"{len(raw_lines) - 1 - number} line(s)")
        return line

    header = value(0)
    records = tuple(record(n) for n in range(1, len(raw_lines) - 1)) if parse else ()
    last = value(len(raw_lines) - 1) if len(raw_lines) > 1 else None
    footer = last if _is_footer(last) else None
    if footer is not None and tail:
        raise after_footer(len(raw_lines) - 1, f"{len(tail)} byte(s) with no final newline")
    if footer is None and parse and len(raw_lines) > 1:
        records += (last,)
    body = range(1, len(raw_lines) - (footer is not None))
    digest = hashlib.sha256()
    for raw in raw_lines[:body.stop]:
        digest.update(raw)
    return StoredLines(header, records, footer, len(body), digest.hexdigest())


def _is_footer(line: Any) -> bool:
    return isinstance(line, dict) and "end" in line


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

    format: ClassVar[str] = FORMAT  # the header's "format"

    def __init__(self, path: str | os.PathLike[str], network: Network, domain: Domain) -> None:
        self.path = os.fspath(path)
        try:
            self._file = open(self.path, "wb")
        except OSError as err:
            raise ExportError.cannot_write(self.path, err) from err
        self._lines = LineWriter(self._file, {"format": self.format,
                                              "network": network_to_dict(network),
                                              "domain": domain.to_spec()})

    @property
    def count(self) -> int:
        """The number of regions written so far."""
        return self._lines.count

    def write(self, region: Region) -> None:
        """Write one region's line."""
        self._lines.write(self.record(region))

    def record(self, region: Region) -> dict[str, Any]:
        """The line of `region`; a writer of another file of regions, with its own
        :attr:`format`, writes other lines through the same header and footer."""
        poly = region.polytope
        return {"pattern": region.pattern, "inequalities": poly.rows, "points": poly.point_rows,
                "rays": poly.ray_rows, "lines": poly.line_rows}

    def close(self, stop_reason: str | None = None) -> None:
        """Write the footer (the count, why the run stopped early if it did, the checksum)."""
        if not self._file.closed:
            self._lines.end(stop_reason=stop_reason)
            self._file.close()

    def __enter__(self) -> "RegionWriter":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:  # no footer: the file says it is partial
            self._file.close()


def read_regions(path: str | os.PathLike[str]) -> RegionComplex:
    """Read a region file back into a :class:`~polyregions.RegionComplex`.

    A file with its footer is complete (or stopped by a limit, as the footer
    says) once its count and checksum match; a file without it was interrupted
    and reads as partial, with the regions of its whole lines.

    Raises
    ------
    ExportError
        When the file is missing or is not a region file.
    CorruptFileError
        When its footer does not match its regions, or a line is not a region.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "empty.jsonl")
    >>> with open(path, "w") as f:
    ...     _ = f.write('{"format": "something else"}\\n')
    >>> read_regions(path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    polyregions.errors.ExportError: ... is not a polyregions region file (polyregions/regions-v2)
    """
    path = os.fspath(path)
    what = "region file"
    try:
        stored = read_lines(path, what)
    except FileNotFoundError:
        raise ExportError(f"region file not found: {path}") from None
    except OSError as err:
        raise ExportError(f"cannot read region file {path}: {err}") from None
    header = stored.header
    version = header.get("format") if isinstance(header, dict) else None
    if version not in (FORMAT, _FORMAT_V1):
        raise ExportError(f"{path} is not a polyregions region file ({FORMAT})")
    reason = "interrupt"
    if stored.footer is not None:
        keys = ("end", "count", "stop_reason") + (("sha256",) if version == FORMAT else ())
        stored.check(path, what, keys)
        reason = stored.footer["stop_reason"]
        if reason not in _STOP_REASONS:
            raise CorruptFileError(f"region file {path} is corrupt: unknown stop_reason {reason!r}")
    network = network_from_dict(header.get("network"))
    domain = domain_from_spec(header.get("domain"))
    job, _ = prepare(network, domain)
    regions = [_region(job, record, path, n) for n, record in enumerate(stored.records, 2)]
    return RegionComplex(network, domain, regions, stop_reason=reason)


def _region(job: Job, record: Any, path: str, line: int) -> Region:
    # Checked files hold what was written; lines of an unchecked (partial) file may not be regions.
    try:
        if set(record) != _REGION_KEYS:
            raise ValueError("not a region")
        rows = {key: tuple(tuple(r) for r in record[key]) for key in _REGION_KEYS}
        return job.region_from_pattern(rows["pattern"], rows["inequalities"], rows["points"],
                                       rows["rays"], rows["lines"])
    except (TypeError, ValueError) as err:
        raise CorruptFileError(f"region file {path} is corrupt: line {line} is not a region "
                               f"({err})") from None
