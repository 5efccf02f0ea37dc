#include "faces.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "kernel.hpp"

namespace polyregions {

namespace {

// The sign of x y - z w for floats within e_x, e_y, e_z, e_w of exact reals, when the floats
// prove it, else 2. The products differ from the exact ones by at most |x| e_y + |y| e_x + e_x e_y
// (and the same for z w), their rounding and the subtraction's by 2u (|x y| + |z w|) (1 + u):
// twice the sum, plus 2^-1000 for underflow, covers it and the rounding of the bound itself.
int certified_difference_sign(double x, double ex, double y, double ey, double z, double ez, double w,
                              double ew) {
    const double p = x * y, q = z * w, d = p - q;
    const double data = std::fabs(x) * ey + std::fabs(y) * ex + ex * ey + std::fabs(z) * ew + std::fabs(w) * ez +
                        ez * ew;
    const double bound = 2.0 * (data + 2.0 * kUnitRoundoff * (std::fabs(p) + std::fabs(q))) + kTiny;
    if (d > bound) return 1;
    if (-d > bound) return -1;
    return 2;
}

// The sign of det(a, b, c) for float rows of 3 entries, each entry within e_a, e_b or e_c of the
// exact one, when the floats prove it, else 2. The determinant is multilinear in the rows, so
// the data's error is det(a, b, c) less det of the exact rows, a sum of three determinants each
// with one row of errors; a 3x3 determinant is at most the product of its rows' magnitude sums
// s, so the data's error is below 3 e_a (s_b + 3 e_b)(s_c + 3 e_c) + s_a 3 e_b (s_c + 3 e_c)
// + s_a s_b 3 e_c. The rounding of the six triple products and their sums is below
// 8u s_a s_b s_c; twice the sum, plus 2^-1000, covers both and the bound's own rounding.
int certified_det3_sign(const double* a, double ea, const double* b, double eb, const double* c, double ec) {
    const double d = a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) +
                     a[2] * (b[0] * c[1] - b[1] * c[0]);
    const auto sum = [](const double* r) { return std::fabs(r[0]) + std::fabs(r[1]) + std::fabs(r[2]); };
    const double sa = sum(a), sb = sum(b), sc = sum(c);
    const double data = 3.0 * ea * (sb + 3.0 * eb) * (sc + 3.0 * ec) + sa * 3.0 * eb * (sc + 3.0 * ec) +
                        sa * sb * 3.0 * ec;
    const double bound = 2.0 * (data + 8.0 * kUnitRoundoff * sa * sb * sc) + kTiny;
    if (d > bound) return 1;
    if (-d > bound) return -1;
    return 2;
}

Z det3(const Row& a, const Row& b, const Row& c) {
    return a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) +
           a[2] * (b[0] * c[1] - b[1] * c[0]);
}

}  // namespace

std::optional<std::size_t> Kernel::count_line_faces(Context& context, const Cell& cell, std::size_t first_unit,
                                                    std::size_t most, FaceScratch& s) const {
    prepare(context);
    if (dim_ != 2 || cell.kind() != CellKind::polygon || !context.floats_) return std::nullopt;
    const LayerData& layer = layers_[context.layer];
    const std::size_t units = layer.slices.size();
    for (std::size_t u = first_unit; u < units; ++u)
        if (layer.slices[u].second - layer.slices[u].first != 2) return std::nullopt;
    const std::vector<VertexPtr>& points = cell.polygon().points;
    const std::size_t n = points.size();
    s.generators.resize(3 * n);
    for (std::size_t k = 0; k < n; ++k) std::copy(points[k]->image, points[k]->image + 3, &s.generators[3 * k]);
    const PieceFloats& floats = *context.floats_;
    // Room for every unit as a line; `lines` of them are.
    const std::size_t most_lines = units - first_unit;
    s.units.resize(most_lines);
    s.values.resize(most_lines * n);
    s.signs.resize(most_lines * n);
    s.bounds.resize(most_lines);
    s.rows.resize(3 * most_lines);
    s.errors.resize(most_lines);
    s.ends.resize(2 * most_lines);
    s.exact.assign(most_lines, std::nullopt);
    std::size_t lines = 0;
    // The exact cut of line i (piece 1 less piece 0, both composed over the domain).
    const auto exact_cut = [&](std::size_t i) -> const Row& {
        std::optional<Row>& slot = s.exact[i];
        if (!slot) {
            const Rows& pieces = piece_rows(context, s.units[i]);
            slot.emplace(pieces[1].size());
            for (std::size_t c = 0; c < slot->size(); ++c) (*slot)[c] = pieces[1][c] - pieces[0][c];
        }
        return *slot;
    };

    // The lines that cross the interior: the units whose cut has a vertex on each side.
    for (std::size_t u = first_unit; u < units; ++u) {
        ready_floats(context, u);
        const std::size_t p0 = layer.slices[u].first, p1 = p0 + 1;
        // As the screening's: the difference of two values is proven where it beats the sum of
        // their bounds, each the piece's total times the factor (every image entry is at most 1),
        // plus 2^-1000 (a zero piece's value is 0, its total 0).
        const double bound = (floats.total(p0) + floats.total(p1)) * floats.factor() + 2.0 * kTiny;
        const bool zero = layer.zero[p0];
        s.units[lines] = u;
        s.exact[lines].reset();
        double* value = &s.values[lines * n];
        int* sign = &s.signs[lines * n];
        bool above = false, below = false;
        for (std::size_t k = 0; k < n; ++k) {
            const double* g = &s.generators[3 * k];
            const double v = zero ? floats.value(p1, g) : floats.value(p1, g) - floats.value(p0, g);
            value[k] = v;
            int proven = v > bound ? 1 : -v > bound ? -1 : 2;
            if (proven == 2) proven = sgn(dot(exact_cut(lines), points[k]->row()));
            sign[k] = proven;
            above = above || proven > 0;
            below = below || proven < 0;
        }
        if (!(above && below)) continue;  // no line through the interior: the unit does not split the cell
        // The chord's two ends: a vertex on the line, or an edge whose ends are on either side.
        std::size_t found = 0;
        for (std::size_t k = 0; k < n; ++k) {
            const int here = sign[k], next = sign[(k + 1) % n];
            if (here != 0 && here * next >= 0) continue;
            if (found == 2) throw std::logic_error("count_line_faces: a line meets a convex polygon's boundary twice");
            s.ends[2 * lines + found++] = static_cast<int>(here == 0 ? 2 * k : 2 * k + 1);
        }
        if (found != 2) throw std::logic_error("count_line_faces: a line meets a convex polygon's boundary twice");
        // The cut's float row, each entry within its pieces' bounds plus the subtraction's rounding.
        const double* r1 = floats.values(p1);
        const double* r0 = floats.values(p0);
        double largest = 0.0;
        for (std::size_t c = 0; c < 3; ++c) {
            s.rows[3 * lines + c] = r1[c] - r0[c];
            largest = std::max(largest, std::fabs(s.rows[3 * lines + c]));
        }
        s.bounds[lines] = bound;
        s.errors[lines] = bound + kUnitRoundoff * largest;
        ++lines;
    }

    // Where along the boundary end `a` of line i lies against end `b` of line j: -1 before, 0 at
    // the same point, 1 after (vertex 0 first, then edge 0 from vertex 0 to 1, and so on).
    const auto compare = [&](std::size_t i, int a, std::size_t j, int b) -> int {
        if (a != b) return a < b ? -1 : 1;
        if (a % 2 == 0) return 0;
        // Both inside edge k, from u = vertex k to v = vertex k + 1: line i meets it at
        // mu u + nu v with nu / mu = -A0 / A1 for A = i's values at (u, v), and the point moves
        // towards v as the ratio grows. -A0 / A1 < -B0 / B1 iff (B0 A1 - A0 B1) / (A1 B1) < 0.
        const std::size_t k = static_cast<std::size_t>(a / 2), next = (k + 1) % n;
        const std::size_t ia = i * n, jb = j * n;
        const double A0 = s.values[ia + k], A1 = s.values[ia + next], B0 = s.values[jb + k], B1 = s.values[jb + next];
        const double ea = s.bounds[i], eb = s.bounds[j];
        int d = certified_difference_sign(B0, eb, A1, ea, A0, ea, B1, eb);
        if (d == 2) {
            const Row &ci = exact_cut(i), &cj = exact_cut(j);
            const Row &u = points[k]->row(), &v = points[next]->row();
            d = sgn(dot(cj, u) * dot(ci, v) - dot(ci, u) * dot(cj, v));
        }
        return d * s.signs[ia + next] * s.signs[jb + next];
    };

    // Pairs: a line equal to an earlier one is left out; two others cross inside iff their
    // chords' ends are four points that interleave.
    s.cross.assign(lines * lines, 0);
    std::vector<char>& kept = s.kept;
    kept.assign(lines, 1);
    std::size_t distinct = 0;
    for (std::size_t j = 0; j < lines; ++j) {
        for (std::size_t i = 0; i < j && kept[j]; ++i) {
            if (!kept[i]) continue;
            const int* ei = &s.ends[2 * i];
            const int* ej = &s.ends[2 * j];
            int order[2][2];
            int shared = 0;
            for (int a = 0; a < 2; ++a)
                for (int b = 0; b < 2; ++b) shared += (order[a][b] = compare(i, ei[a], j, ej[b])) == 0;
            if (shared == 2) kept[j] = 0;  // two lines through the same two points: the same line
            if (shared) continue;          // else they meet once, on the boundary
            // ei[0] < ei[1] along the boundary: j's end b lies between them or outside.
            const bool first = order[0][0] < 0 && order[1][0] > 0, second = order[0][1] < 0 && order[1][1] > 0;
            s.cross[i * lines + j] = s.cross[j * lines + i] = first != second;
        }
        distinct += kept[j];
    }

    // k_j: the crossings of line j with earlier lines i, each point once (from its first line i).
    std::size_t faces = 1 + distinct;
    for (std::size_t j = 0; j < lines && faces <= most; ++j) {
        if (!kept[j]) continue;
        for (std::size_t i = 0; i < j; ++i) {
            if (!s.cross[i * lines + j]) continue;
            bool seen = false;
            for (std::size_t h = 0; h < i && !seen; ++h) {
                if (!s.cross[h * lines + i] || !s.cross[h * lines + j]) continue;
                int d = certified_det3_sign(&s.rows[3 * h], s.errors[h], &s.rows[3 * i], s.errors[i], &s.rows[3 * j],
                                            s.errors[j]);
                if (d == 2) d = sgn(det3(exact_cut(h), exact_cut(i), exact_cut(j)));
                seen = d == 0;
            }
            faces += !seen;
        }
    }
    if (faces > most) return std::nullopt;
    return faces;
}

}  // namespace polyregions
