#include "genericity.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

namespace polyregions {

GenericityScreen::GenericityScreen(std::shared_ptr<LayerMaps> maps, std::size_t depth, const Rows& domain)
    : maps_(std::move(maps)), depth_(depth), domain_(domain) {
    if (depth_ > maps_->kernel().layer_count())
        throw std::invalid_argument("a depth of " + std::to_string(depth_) + " layers, beyond the network's");
    maps_->kernel().check_widths(domain, "domain facet");
    for (const Row& r : domain_) {
        std::vector<SmallTerm>& terms = small_domain_.emplace_back();
        for (std::size_t c = 0; c < r.size(); ++c) {
            if (sgn(r[c]) == 0) continue;
            if (mpz_size(r[c].get_mpz_t()) > 1) {  // beyond one limb: zero_at reads the row
                terms.clear();
                break;
            }
            terms.push_back({c, mpz_getlimbn(r[c].get_mpz_t(), 0), sgn(r[c]) < 0});
        }
    }
}

GenericityScreen::Prefix& GenericityScreen::prefix(const Pattern& pattern, std::size_t layer) {
    Context& context = maps_->context(pattern, layer);
    Prefix& found = prefixes_[&context];
    if (!found.context) {
        found.context = &context;
        found.constant = true;
        for (const Row& r : context.map->rows())
            for (std::size_t c = 1; c < r.size(); ++c) found.constant = found.constant && sgn(r[c]) == 0;
    }
    return found;
}

bool GenericityScreen::zero_at(const Row& row, const Row& g) {
    mpz_mul(acc_.get_mpz_t(), row[0].get_mpz_t(), g[0].get_mpz_t());
    for (std::size_t c = 1; c < row.size(); ++c)
        mpz_addmul(acc_.get_mpz_t(), row[c].get_mpz_t(), g[c].get_mpz_t());
    return sgn(acc_) == 0;
}

bool GenericityScreen::on_domain_facet(std::size_t f, const Row& g) {
    const std::vector<SmallTerm>& terms = small_domain_[f];
    if (terms.empty()) return zero_at(domain_[f], g);  // a big entry (or no nonzero one)
    mpz_set_ui(acc_.get_mpz_t(), 0);
    for (const SmallTerm& t : terms)
        (t.negative ? mpz_submul_ui : mpz_addmul_ui)(acc_.get_mpz_t(), g[t.column].get_mpz_t(), t.magnitude);
    return sgn(acc_) == 0;
}

bool GenericityScreen::conditions(Prefix& prefix, std::size_t layer, const std::vector<int>& chosen,
                                  const Generators& gens, const std::vector<double>& scaled) {
    const LayerData& data = maps_->kernel().layer(layer);
    const MapData& map = *prefix.context->map;
    const std::size_t width = static_cast<std::size_t>(maps_->kernel().dim()) + 1, n = gens.size();
    if (!prefix.floats) {
        prefix.floats.emplace(scaled_map(map.den, map.rows(), width), map.size() + 1, width,
                              data.rows.size());
        prefix.floats_ready.assign(data.slices.size(), 0);
    }
    winner_values_.resize(n);
    winner_bounds_.resize(n);
    maybe_.resize(n);
    for (std::size_t u = 0; u < data.slices.size(); ++u) {
        const auto [begin, end] = data.slices[u];
        const std::size_t w = begin + static_cast<std::size_t>(chosen[u]);
        if (!prefix.floats_ready[u]) {
            prefix.floats->compute(data.weights, begin, end);
            prefix.floats_ready[u] = 1;
        }
        for (std::size_t g = 0; g < n; ++g)
            prefix.floats->evaluate(w, &scaled[g * width], winner_values_[g], winner_bounds_[g]);
        for (std::size_t j = begin; j < end; ++j) {
            if (j == w) continue;
            bool any = false;
            for (std::size_t g = 0; g < n; ++g) {
                double value = 0, bound = 0;
                prefix.floats->evaluate(j, &scaled[g * width], value, bound);
                maybe_[g] = !(std::fabs(winner_values_[g] - value) > winner_bounds_[g] + bound);
                any = any || maybe_[g];
            }
            if (!any) continue;  // apart from the winner at every generator: never tied on it
            const Rows& pieces = maps_->kernel().piece_rows(*prefix.context, u);
            Row& tie = tie_;
            tie.resize(width);
            bool linear = false;
            for (std::size_t c = 0; c < width; ++c) {
                mpz_sub(tie[c].get_mpz_t(), pieces[w - begin][c].get_mpz_t(), pieces[j - begin][c].get_mpz_t());
                linear = linear || (c > 0 && sgn(tie[c]) != 0);
            }
            if (!linear) {
                // Identical pieces fail (the Python checker words it); a constant gap never vanishes.
                if (sgn(tie[0]) == 0 && !prefix.constant) return false;
                continue;
            }
            for (std::size_t g = 0; g < n; ++g)
                if (maybe_[g] && zero_at(tie, *gens[g])) ++ties_[g];
        }
    }
    return true;
}

bool GenericityScreen::vertices_pass(const Generators& gens, std::size_t n_points) {
    // (b) and (b') at rays: the ties, domain facets and (at a ray) t = 0 through a generator.
    const std::size_t dim = static_cast<std::size_t>(maps_->kernel().dim());
    for (std::size_t g = 0; g < gens.size(); ++g) {
        std::size_t count = ties_[g];
        if (count == 0) continue;
        for (std::size_t f = 0; f < domain_.size(); ++f) count += on_domain_facet(f, *gens[g]) ? 1 : 0;
        if (count + (g >= n_points ? 1 : 0) > dim) return false;
    }
    return true;
}

bool GenericityScreen::passes(const Pattern& pattern, const Rows& points,
                              const Rows& rays, const Rows& lines) {
    if (!lines.empty()) return false;  // a lineality space: the Python checker's (b')
    if (pattern.size() < depth_)
        throw std::invalid_argument("the pattern has " + std::to_string(pattern.size()) +
                                    " layers, expected at least " + std::to_string(depth_));
    maps_->kernel().check_widths(points, "point");
    maps_->kernel().check_widths(rays, "ray");
    Generators gens;
    for (const Row& g : points) gens.push_back(&g);
    for (const Row& g : rays) gens.push_back(&g);
    std::vector<double> scaled = generator_doubles(points), more = generator_doubles(rays);
    scaled.insert(scaled.end(), more.begin(), more.end());
    ties_.assign(gens.size(), 0);
    for (std::size_t layer = 0; layer < depth_; ++layer) {
        if (!maps_->has_pattern(layer)) continue;
        if (!conditions(prefix(pattern, layer), layer, maps_->choice(pattern, layer), gens, scaled))
            return false;
    }
    // The checks (c) and (a') need no test of their own here: a region without lines has a
    // vertex on each facet, and a facet's hyperplane met twice (two ties, or a tie and the
    // domain facet) there, with the n - 1 other facets through the vertex, exceeds (b)'s count.
    return vertices_pass(gens, points.size());
}

}  // namespace polyregions
