#include "screen.hpp"

#include <optional>

namespace polyregions {

namespace {

// Compares piece values at generators: floats where their bounds decide, else exact.
class Comparer {
  public:
    Comparer(const Rows& pieces, const std::vector<const Row*>& generators, const double* values,
             const double* bounds)
        : pieces_(pieces), generators_(generators), values_(values), bounds_(bounds),
          exact_(pieces.size() * generators.size()) {}

    // Whether piece j is >= piece k at every generator.
    bool dominates(std::size_t j, std::size_t k) {
        const std::size_t n = generators_.size();
        // A float certificate of "j < k somewhere" is cheap and common: look for one first.
        if (values_) {
            for (std::size_t g = 0; g < n; ++g)
                if (values_[k * n + g] - values_[j * n + g] > bounds_[k * n + g] + bounds_[j * n + g])
                    return false;
        }
        for (std::size_t g = 0; g < n; ++g) {
            if (values_ && values_[j * n + g] - values_[k * n + g] > bounds_[j * n + g] + bounds_[k * n + g])
                continue;
            if (exact(j, g) < exact(k, g)) return false;
        }
        return true;
    }

  private:
    const Z& exact(std::size_t k, std::size_t g) {
        std::optional<Z>& slot = exact_[k * generators_.size() + g];
        if (!slot) slot.emplace(dot(pieces_[k], *generators_[g]));
        return *slot;
    }

    const Rows& pieces_;
    const std::vector<const Row*>& generators_;
    const double* values_;
    const double* bounds_;
    std::vector<std::optional<Z>> exact_;
};

// The first of every group of identical pieces: the lowest index wins every tie.
std::vector<std::size_t> distinct(const Rows& pieces) {
    std::vector<std::size_t> order;
    for (std::size_t k = 0; k < pieces.size(); ++k) {
        bool seen = false;
        for (std::size_t j : order) seen = seen || pieces[j] == pieces[k];
        if (!seen) order.push_back(k);
    }
    return order;
}

}  // namespace

UnitScreening screen_unit(const Rows& pieces, const std::vector<const Row*>& generators,
                          const double* values, const double* bounds) {
    if (pieces.size() == 1) return {0, {}};
    const std::vector<std::size_t> order = distinct(pieces);
    if (order.size() == 1) return {0, {}};
    Comparer compare(pieces, generators, values, bounds);
    std::vector<std::size_t> alive;
    for (std::size_t k : order) {
        bool dominated = false;
        for (std::size_t j : order)
            if (j != k && compare.dominates(j, k)) { dominated = true; break; }
        if (!dominated) alive.push_back(k);
    }
    if (alive.size() == 1) return {static_cast<int>(alive[0]), {}};
    UnitScreening out{-1, {}};
    for (std::size_t k : alive) {
        Candidate cell{static_cast<int>(k), {}};
        for (std::size_t j : alive) {
            if (j == k) continue;
            Row cut(pieces[k].size());
            for (std::size_t c = 0; c < cut.size(); ++c) cut[c] = pieces[k][c] - pieces[j][c];
            make_primitive(cut);
            cell.cuts.push_back(std::make_shared<const Row>(std::move(cut)));
        }
        out.cells.push_back(std::move(cell));
    }
    return out;
}

}  // namespace polyregions
