// cddlib's GMP double description, called as pycddlib 3 calls it (see description.hpp).
#include "description.hpp"

#include <algorithm>
#include <memory>
#include <set>

#define GMPRATIONAL
#include <cddlib/setoper.h>
#include <cddlib/cdd.h>

namespace polyregions {

namespace {

// cddlib's constants are set once per process; pycddlib sets them in the same
// shared library. They live in zeroed static storage, so a constant whose
// denominator has no limbs yet has never been set.
void ensure_cdd_constants() {
    static const bool ready = [] {
        if (mpq_denref(dd_one)->_mp_d == nullptr) dd_set_global_constants();
        return true;
    }();
    (void)ready;
}

struct MatrixFree {
    void operator()(dd_MatrixType* m) const { dd_FreeMatrix(m); }
};
struct PolyhedraFree {
    void operator()(dd_PolyhedraType* p) const { dd_FreePolyhedra(p); }
};
using Matrix = std::unique_ptr<dd_MatrixType, MatrixFree>;
using Polyhedra = std::unique_ptr<dd_PolyhedraType, PolyhedraFree>;

// The primitive integer row that is a positive multiple of a row of rationals
// (numbers.integer_vector).
Row integer_row(const mytype* values, long width) {
    Z den = 1;
    for (long j = 0; j < width; ++j)
        mpz_lcm(den.get_mpz_t(), den.get_mpz_t(), mpq_denref(values[j]));
    Row row(static_cast<std::size_t>(width));
    for (long j = 0; j < width; ++j) {
        mpz_divexact(row[j].get_mpz_t(), den.get_mpz_t(), mpq_denref(values[j]));
        row[j] *= Z(mpq_numref(values[j]));
    }
    make_primitive(row);
    return row;
}

// The inequality matrix of pycddlib's matrix_from_array(rows + [(1, 0, ..., 0)]).
Matrix inequality_matrix(const Rows& rows, int dim) {
    const long width = dim + 1;
    Matrix m(dd_CreateMatrix(static_cast<dd_rowrange>(rows.size() + 1), width));
    if (!m) throw CddError("cddlib could not allocate a matrix");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (static_cast<long>(rows[i].size()) != width)
            throw std::invalid_argument("row " + std::to_string(i) + " has " +
                                        std::to_string(rows[i].size()) + " entries, expected " +
                                        std::to_string(width));
        for (long j = 0; j < width; ++j) mpq_set_z(m->matrix[i][j], rows[i][j].get_mpz_t());
    }
    // "1 >= 0" keeps the input non-homogeneous, so cddlib reports the apex of a cone as a vertex.
    mpq_set_ui(m->matrix[rows.size()][0], 1, 1);
    m->representation = dd_Inequality;
    return m;
}

std::string cdd_error_text(dd_ErrorType error) {
    static const char* const names[] = {
        "DimensionTooLarge", "ImproperInputFormat", "NegativeMatrixSize", "EmptyVrepresentation",
        "EmptyHrepresentation", "EmptyRepresentation", "IFileNotFound", "OFileNotOpen",
        "NoLPObjective", "NoRealNumberSupport", "NotAvailForH", "NotAvailForV",
        "CannotHandleLinearity", "RowIndexOutOfRange", "ColIndexOutOfRange", "LPCycling",
        "NumericallyInconsistent"};
    const int k = static_cast<int>(error);
    const bool known = k >= 0 && k < static_cast<int>(sizeof names / sizeof names[0]);
    return std::string("cddlib double description failed: ") + (known ? names[k] : "unknown error");
}

// Tight generators of every row, as sorted indices into points + rays.
std::vector<std::size_t> tight_set(const Row& row, const Rows& points, const Rows& rays) {
    std::vector<std::size_t> tight;
    for (std::size_t i = 0; i < points.size(); ++i)
        if (sgn(dot(row, points[i])) == 0) tight.push_back(i);
    for (std::size_t i = 0; i < rays.size(); ++i)
        if (sgn(dot(row, rays[i])) == 0) tight.push_back(points.size() + i);
    return tight;
}

bool has_linear_part(const Row& row) {
    return std::any_of(row.begin() + 1, row.end(), [](const Z& v) { return sgn(v) != 0; });
}

}  // namespace

Generators double_description(const Rows& rows, int dim) {
    ensure_cdd_constants();
    Matrix input = inequality_matrix(rows, dim);
    dd_ErrorType error = dd_NoError;
    Polyhedra poly(dd_DDMatrix2Poly(input.get(), &error));
    if (error != dd_NoError) throw CddError(cdd_error_text(error));
    if (!poly) throw CddError("cddlib could not allocate a polyhedron");
    Matrix gens(dd_CopyGenerators(poly.get()));
    if (!gens) throw CddError("cddlib could not copy the generators");
    Generators out;
    for (dd_rowrange i = 0; i < gens->rowsize; ++i) {
        Row g = integer_row(gens->matrix[i], gens->colsize);
        if (set_member(i + 1, gens->linset)) out.lines.push_back(std::move(g));
        else if (sgn(g[0]) != 0) out.points.push_back(std::move(g));
        else out.rays.push_back(std::move(g));
    }
    return out;
}

Rows facet_rows(const Rows& rows, const Rows& points, const Rows& rays) {
    std::vector<const Row*> unique;
    std::vector<std::vector<std::size_t>> tight;
    std::set<Row> seen;
    for (const Row& row : rows) {
        if (!has_linear_part(row) || !seen.insert(row).second) continue;
        unique.push_back(&row);
        tight.push_back(tight_set(row, points, rays));
    }
    Rows keep;
    for (std::size_t i = 0; i < unique.size(); ++i) {
        // A row defines a facet unless its tight set is a proper subset of another row's.
        const bool below = std::any_of(tight.begin(), tight.end(), [&](const auto& other) {
            return other.size() > tight[i].size() &&
                   std::includes(other.begin(), other.end(), tight[i].begin(), tight[i].end());
        });
        if (!below) keep.push_back(*unique[i]);
    }
    return keep;
}

bool is_full_dimensional(const Rows& rows, const Rows& points, const Rows& rays) {
    if (points.empty()) return false;
    auto strict_somewhere = [&](const Row& r) {
        auto positive = [&](const Row& g) { return sgn(dot(r, g)) > 0; };
        return std::any_of(points.begin(), points.end(), positive) ||
               std::any_of(rays.begin(), rays.end(), positive);
    };
    return std::all_of(rows.begin(), rows.end(),
                       [&](const Row& r) { return !has_linear_part(r) || strict_somewhere(r); });
}

Description from_domain(Rows facets, Rows points, Rows rays, Rows lines) {
    return Description{std::move(facets), std::move(points), std::move(rays), std::move(lines)};
}

std::optional<Description> cut_description(const Description& cell, const Rows& cuts, int dim) {
    Rows rows = cell.facets;
    rows.insert(rows.end(), cuts.begin(), cuts.end());
    Generators g = double_description(rows, dim);
    // The cell before the cut is full-dimensional, so only the cuts can be equalities.
    if (!is_full_dimensional(cuts, g.points, g.rays)) return std::nullopt;
    Rows facets = facet_rows(rows, g.points, g.rays);
    return Description{std::move(facets), std::move(g.points), std::move(g.rays), std::move(g.lines)};
}

}  // namespace polyregions
