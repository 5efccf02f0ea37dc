// The native kernel's cells: one region of the domain in the representation
// the domain fixed (as reference.py's PolygonCell, IncidenceCell and
// DescriptionCell), immutable once made; the generators and their floats are
// caches filled on first use.
#pragma once

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "description.hpp"
#include "incidence.hpp"
#include "polygon.hpp"
#include "rows.hpp"

namespace polyregions {

enum class CellKind { polygon = 0, incidence = 1, description = 2 };

class Cell : public std::enable_shared_from_this<Cell> {
  public:
    static std::shared_ptr<const Cell> from_polygon(Polygon polygon);
    static std::shared_ptr<const Cell> from_polytope(BoundedPolytope polytope);
    static std::shared_ptr<const Cell> from_description(Description description);

    CellKind kind() const { return kind_; }
    const Rows& points() const;
    const Rows& rays() const;
    const Rows& lines() const;
    const Rows& facets() const;
    bool bounded() const { return rays().empty() && lines().empty(); }

    // The part where every cut row is >= 0, of the same kind; nullptr when it has no interior.
    std::shared_ptr<const Cell> cut(const SharedRows& cuts, int dim) const;
    // The same as cell->cut(cuts, dim), for the cell's last use: when nothing else holds it,
    // its vertices and facets move into the result instead of being copied.
    static std::shared_ptr<const Cell> cut_last_use(std::shared_ptr<const Cell> cell, const SharedRows& cuts,
                                                    int dim);
    // (cell->cut(first, dim), cut_last_use(cell, second, dim)), for the cell's last use. When
    // nothing else holds it and the two are one cut and its opposite (a split by a hyperplane),
    // the first cell takes the vertices only it keeps instead of copying them.
    static std::pair<std::shared_ptr<const Cell>, std::shared_ptr<const Cell>> cut_pair(
        std::shared_ptr<const Cell> cell, const SharedRows& first, const SharedRows& second, int dim);

    // Points, rays, and each line both ways: a piece is >= another on the cell iff at all of them.
    const Rows& generators() const;
    // The same rows by address (a polygon's are its shared vertices: nothing is copied).
    std::vector<const Row*> generator_refs() const;
    // The generators as doubles, each scaled by a power of two (floats.hpp).
    const std::vector<double>& generator_floats() const;

    const Polygon& polygon() const { return polygon_; }

  protected:
    explicit Cell(CellKind kind) : kind_(kind) {}

  private:
    // A new cell of this kind, in one allocation with its count.
    static std::shared_ptr<Cell> make(CellKind kind);
    // The incidence path of cut: reads `own`, or takes it apart when `take` (== &own) is given.
    std::shared_ptr<const Cell> cut_incidence(const BoundedPolytope& own, BoundedPolytope* take,
                                              const SharedRows& cuts, int dim) const;
    // The cell of `poly`, cut from this one; `from` as kept_from() (for the float images).
    std::shared_ptr<const Cell> cut_from(BoundedPolytope poly, const std::vector<std::size_t>& from) const;

    CellKind kind_;
    Polygon polygon_;
    std::optional<BoundedPolytope> polytope_;
    Description description_;
    mutable std::optional<Rows> generators_;  // also a polygon's vertex rows, when asked for
    mutable std::optional<Rows> edges_;       // a polygon's edge rows, when asked for
    mutable std::optional<std::vector<double>> floats_;
};

using CellPtr = std::shared_ptr<const Cell>;

}  // namespace polyregions
