#include "cells.hpp"

#include "floats.hpp"

namespace polyregions {

namespace {

const Rows kNone;
constexpr std::size_t kNew = static_cast<std::size_t>(-1);  // a vertex that a cut made

// The generator floats of a cut polytope's points: a vertex kept from the cell it was cut from
// (points[k] is that cell's vertex from[k], for k < from.size(), unless kNew) has that cell's
// floats, row for row; the rest are computed as generator_doubles computes them.
std::vector<double> inherited_floats(const std::vector<double>& parent, const std::vector<std::size_t>& from,
                                     const Rows& points) {
    std::vector<double> out;
    const std::size_t width = points.empty() ? 0 : points[0].size();
    out.reserve(points.size() * width);
    for (std::size_t k = 0; k < points.size(); ++k) {
        if (k < from.size() && from[k] != kNew) {
            const double* row = &parent[from[k] * width];
            out.insert(out.end(), row, row + width);
            continue;
        }
        long bits = 0;
        for (const Z& v : points[k]) bits = std::max(bits, bit_length(v));
        for (const Z& v : points[k]) out.push_back(scaled_double(v, bits));
    }
    return out;
}

}  // namespace

std::shared_ptr<Cell> Cell::make(CellKind kind) {
    // make_shared needs a public constructor: a local kind of Cell lends it one.
    struct Made : Cell {
        explicit Made(CellKind k) : Cell(k) {}
    };
    return std::make_shared<Made>(kind);
}

CellPtr Cell::from_polygon(Polygon polygon) {
    auto cell = make(CellKind::polygon);
    cell->polygon_ = std::move(polygon);
    return cell;
}

CellPtr Cell::from_polytope(BoundedPolytope polytope) {
    auto cell = make(CellKind::incidence);
    cell->polytope_.emplace(std::move(polytope));
    return cell;
}

CellPtr Cell::from_description(Description description) {
    auto cell = make(CellKind::description);
    cell->description_ = std::move(description);
    return cell;
}

const Rows& Cell::points() const {
    switch (kind_) {
        case CellKind::polygon:
            if (!generators_) generators_.emplace(polygon_.point_rows());
            return *generators_;
        case CellKind::incidence: return polytope_->points();
        default: return description_.points;
    }
}

const Rows& Cell::rays() const { return kind_ == CellKind::description ? description_.rays : kNone; }

const Rows& Cell::lines() const { return kind_ == CellKind::description ? description_.lines : kNone; }

const Rows& Cell::facets() const {
    switch (kind_) {
        case CellKind::polygon:  // its edge rows are shared with other polygons: copied once
            if (!edges_) edges_.emplace(polygon_.edge_rows());
            return *edges_;
        case CellKind::incidence: return polytope_->facet_row_refs();
        default: return description_.facets;
    }
}

CellPtr Cell::cut_incidence(const BoundedPolytope& own, BoundedPolytope* take, const SharedRows& cuts,
                            int dim) const {
    // Cuts that keep the polytope copy nothing; the first that changes it reads it (or takes
    // it apart, with `take`), later ones take their input apart. A facet id only has to be
    // new within its polytope.
    std::optional<BoundedPolytope> poly;
    std::vector<std::size_t> from;  // the index in `own` of each kept vertex of `poly`
    for (const RowPtr& cut : cuts) {
        const Row& row = *cut;
        const int id = poly ? poly->next_id() : own.next_id();
        BoundedPolytope out;
        const CutOutcome outcome = poly   ? cut_polytope(std::move(*poly), row, id, dim, out)
                                   : take ? cut_polytope(std::move(*take), row, id, dim, out)
                                          : cut_polytope(own, row, id, dim, out);
        if (outcome == CutOutcome::empty) return nullptr;
        if (outcome != CutOutcome::cut) continue;
        if (!poly) {
            from = out.kept_from();
        } else {  // a vertex of an earlier cut's polytope that is not in `own` stays kNew
            std::vector<std::size_t> composed;
            composed.reserve(out.kept_from().size());
            for (std::size_t k : out.kept_from()) composed.push_back(k < from.size() ? from[k] : kNew);
            from = std::move(composed);
        }
        poly = std::move(out);
    }
    if (!poly) return shared_from_this();
    return cut_from(std::move(*poly), from);
}

CellPtr Cell::cut_from(BoundedPolytope poly, const std::vector<std::size_t>& from) const {
    auto cell = make(CellKind::incidence);  // the cell and its count in one allocation
    cell->polytope_.emplace(std::move(poly));
    if (floats_) cell->floats_.emplace(inherited_floats(*floats_, from, cell->points()));
    return cell;
}

std::pair<CellPtr, CellPtr> Cell::cut_pair(CellPtr cell, const SharedRows& first, const SharedRows& second,
                                           int dim) {
    if (cell->kind_ == CellKind::polygon && first.size() == 1 && second.size() == 1 &&
        opposite(*first[0], *second[0])) {  // a split by a line: one pass over the vertices
        Polygon parts[2];
        const std::pair<Clip, Clip> clips = split_polygon(cell->polygon_, first[0], second[0], parts[0], parts[1]);
        const auto side = [&](Clip clip, Polygon& part) -> CellPtr {
            return clip == Clip::empty ? nullptr : clip == Clip::unchanged ? cell : from_polygon(std::move(part));
        };
        return {side(clips.first, parts[0]), side(clips.second, parts[1])};
    }
    if (cell.use_count() != 1 || cell->kind_ != CellKind::incidence || first.size() != 1 ||
        second.size() != 1 || !opposite(*first[0], *second[0])) {
        CellPtr one = cell->cut(first, dim);
        return {std::move(one), cut_last_use(std::move(cell), second, dim)};
    }
    // The second cut is the last use of the cell (cut_last_use): the first may take the
    // vertices that only it keeps.
    BoundedPolytope& own = *const_cast<Cell&>(*cell).polytope_;
    BoundedPolytope out;
    const CutOutcome outcome = cut_polytope_before_opposite(own, *first[0], own.next_id(), dim, out);
    CellPtr one;
    if (outcome == CutOutcome::unchanged) one = cell;
    if (outcome == CutOutcome::cut) {
        const std::vector<std::size_t> from = out.kept_from();
        one = cell->cut_from(std::move(out), from);
    }
    return {std::move(one), cut_last_use(std::move(cell), second, dim)};
}

CellPtr Cell::cut_last_use(CellPtr cell, const SharedRows& cuts, int dim) {
    if (cell.use_count() != 1 || cell->kind_ != CellKind::incidence) return cell->cut(cuts, dim);
    // Every Cell is made non-const (the factories above): with no other holder, taking its
    // polytope apart is safe, and `cell` is gone once this returns.
    BoundedPolytope& own = *const_cast<Cell&>(*cell).polytope_;
    return cell->cut_incidence(own, &own, cuts, dim);
}

CellPtr Cell::cut(const SharedRows& cuts, int dim) const {
    switch (kind_) {
        case CellKind::polygon: {
            // Cuts that keep every vertex copy nothing: the cell itself is the answer.
            Polygon buffers[2];
            int current = -1;  // -1: the cell's own polygon, else buffers[current]
            for (const RowPtr& row : cuts) {
                const int next = current == 0 ? 1 : 0;
                const Polygon& from = current < 0 ? polygon_ : buffers[current];
                const Clip clip = clip_polygon(from, row, buffers[next]);
                if (clip == Clip::empty) return nullptr;
                if (clip == Clip::cut) current = next;
            }
            if (current < 0) return shared_from_this();
            return from_polygon(std::move(buffers[current]));
        }
        case CellKind::incidence: return cut_incidence(*polytope_, nullptr, cuts, dim);
        default: {
            std::optional<Description> out = cut_description(description_, copied_rows(cuts), dim);
            if (!out) return nullptr;
            return from_description(std::move(*out));
        }
    }
}

std::vector<const Row*> Cell::generator_refs() const {
    std::vector<const Row*> out;
    if (kind_ == CellKind::polygon) {
        out.reserve(polygon_.points.size());
        for (const VertexPtr& p : polygon_.points) out.push_back(&p->row());
        return out;
    }
    const Rows& rows = generators();
    out.reserve(rows.size());
    for (const Row& r : rows) out.push_back(&r);
    return out;
}

const Rows& Cell::generators() const {
    if (rays().empty() && lines().empty()) return points();
    if (!generators_) {
        Rows all = points();
        all.insert(all.end(), rays().begin(), rays().end());
        all.insert(all.end(), lines().begin(), lines().end());
        for (const Row& line : lines()) {
            Row negated(line.size());
            for (std::size_t i = 0; i < line.size(); ++i) negated[i] = -line[i];
            all.push_back(std::move(negated));
        }
        generators_.emplace(std::move(all));
    }
    return *generators_;
}

const std::vector<double>& Cell::generator_floats() const {
    if (!floats_) {
        if (kind_ != CellKind::polygon) {
            floats_.emplace(generator_doubles(generators()));
        } else {  // made with each vertex: the same doubles as generator_doubles gives
            std::vector<double> out(3 * polygon_.points.size());
            double* next = out.data();
            for (const VertexPtr& p : polygon_.points) next = std::copy(p->image, p->image + 3, next);
            floats_.emplace(std::move(out));
        }
    }
    return *floats_;
}

}  // namespace polyregions
