"""The exact cell map of a 2-D slice of bias space (the seed paper's Figure 1, right, exactly).

    python examples/parameter_slice_map.py [--quick] [--png FILE]

A small maxout network with fixed weights; two of its first-layer biases vary
over [-2, 2]. Every cell of that slice (a maximal connected set of biases on
which the set of activation patterns, hence the region count, is constant) is
computed exactly; the script prints the cells' counts and exact areas, checks
that the areas sum to the slice's area, and can draw the map.
"""

import argparse
from collections import Counter

import polyregions as pr
from polyregions.errors import MissingDependencyError, require_extra
from polyregions.params.cells import bias_slice_cells
from polyregions.params.init import initialize


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller network")
    parser.add_argument("--png", metavar="FILE", help="draw the cell map (needs matplotlib)")
    args = parser.parse_args(argv)
    if args.png:  # the extra is checked before any work, not at the end
        try:
            require_extra("matplotlib", "plot", "--png")
        except MissingDependencyError as err:
            parser.error(str(err))
    width = 3 if args.quick else 5
    net = initialize((2, width, width), "maxout", 2, "maxout_he", seed=3)
    domain = pr.Box.cube(2, -2, 2)
    entries = [(0, 0, 0), (0, 1, 0)]
    cells = bias_slice_cells(net, domain, entries, -2, 2)
    print(f"{len(cells)} cells; region counts from {min(c.activation_regions for c in cells)} "
          f"to {max(c.activation_regions for c in cells)}")
    area = Counter()
    for cell in cells:
        area[cell.activation_regions] += cell.measure
    for count in sorted(area):
        digits = len(str(area[count].denominator))
        print(f"  {count:>3} regions on area ~{float(area[count]):.4f} (exact; {digits}-digit denominator)")
    assert sum(area.values()) == 16  # the cells tile the slice [-2, 2]^2 exactly
    print("exact areas sum to 16, the area of the slice")
    if args.png:
        from polyregions.io.plot import plot_cells

        plot_cells(cells, args.png, lower=-2, upper=2, entries=entries)
        print(f"written {args.png}")


if __name__ == "__main__":
    main()
