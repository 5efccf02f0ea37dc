#include "maps.hpp"

#include <stdexcept>
#include <string>
#include <utility>

namespace polyregions {

LayerMaps::LayerMaps(std::shared_ptr<const Kernel> kernel, std::vector<char> has_pattern, MapPtr start)
    : kernel_(std::move(kernel)), has_pattern_(std::move(has_pattern)), start_(std::move(start)) {
    if (has_pattern_.size() != kernel_->layer_count() || kernel_->layer_count() == 0)
        throw std::invalid_argument("one has_pattern flag per layer, and at least one layer");
    kernel_->check_widths(start_->rows, "domain map");
    if (sgn(start_->den) <= 0) throw std::invalid_argument("a map's denominator must be positive");
    for (std::size_t l = 0; l < has_pattern_.size(); ++l)
        if (has_pattern_[l]) last_ = l;
    if (has_pattern_[last_] && last_ + 1 < has_pattern_.size()) multiply_head();
}

void LayerMaps::multiply_head() {
    // Start from the identity on (1, z) of the last choosing layer's n units; each fixed layer
    // composes its rows with it (its one piece per unit: a linear layer).
    const std::size_t n = kernel_->layer(last_).slices.size();
    Head head;
    for (std::size_t i = 0; i < n; ++i) {
        Row& r = head.rows.emplace_back(n + 1, 0);
        r[i + 1] = 1;
    }
    for (std::size_t l = last_ + 1; l < has_pattern_.size(); ++l) {
        const LayerData& layer = kernel_->layer(l);
        Rows rows;
        for (const auto& slice : layer.slices) {
            const Row& w = layer.rows[slice.first];
            Row& out = rows.emplace_back(n + 1, 0);
            out[0] = w[0] * head.den;
            for (std::size_t i = 0; i < head.rows.size(); ++i)
                for (std::size_t c = 0; c <= n; ++c)
                    mpz_addmul(out[c].get_mpz_t(), w[i + 1].get_mpz_t(), head.rows[i][c].get_mpz_t());
        }
        head.den *= layer.den;
        head.rows = std::move(rows);
    }
    head_.emplace(std::move(head));
}

std::vector<int> LayerMaps::choice(const Pattern& pattern, std::size_t layer) const {
    const auto& slices = kernel_->layer(layer).slices;
    if (!has_pattern_[layer]) return std::vector<int>(slices.size(), 0);  // one piece per unit
    if (layer >= pattern.size() || pattern[layer].size() != slices.size())
        throw std::invalid_argument("layer " + std::to_string(layer) + " of the pattern does not "
                                    "choose one piece for each of its " +
                                    std::to_string(slices.size()) + " units");
    for (std::size_t u = 0; u < slices.size(); ++u)
        if (pattern[layer][u] < 0 ||
            static_cast<std::size_t>(pattern[layer][u]) >= slices[u].second - slices[u].first)
            throw std::out_of_range("unit " + std::to_string(u) + " of layer " + std::to_string(layer) +
                                    " has no piece " + std::to_string(pattern[layer][u]));
    return pattern[layer];
}

Context& LayerMaps::context(const Pattern& pattern, std::size_t layer) {
    std::vector<int> key;
    for (std::size_t l = 0; l < layer; ++l) {
        const std::vector<int> chosen = choice(pattern, l);
        key.insert(key.end(), chosen.begin(), chosen.end());
        key.push_back(-1);
    }
    auto found = contexts_.find(key);
    if (found != contexts_.end()) return *found->second;
    MapPtr map = start_;
    if (layer > 0) {
        Context& parent = context(pattern, layer - 1);
        map = kernel_->next_map(layer - 1, *parent.map, choice(pattern, layer - 1), &parent);
    }
    ContextPtr made = kernel_->enter_layer(layer, std::move(map));
    return *(contexts_[std::move(key)] = std::move(made));
}

void LayerMaps::combine(const Row& h, const LayerData& layer, const std::vector<int>& chosen,
                        Row& out) const {
    // out = (h_0 den, 0, ...) + sum_u h_{u+1} rows[chosen piece of u]: in __int128 when every
    // number fits a long and no sum overflows, else in GMP.
    const std::size_t inputs = out.size();
    std::vector<long> weights(h.size());
    bool small = !layer.small.empty();
    for (std::size_t i = 0; i < h.size() && small; ++i) small = small_value(h[i], weights[i]);
    long den = 0;
    small = small && small_value(layer.den, den);
    if (small) {
        std::vector<__int128> acc(inputs, 0);
        acc[0] = static_cast<__int128>(weights[0]) * den;
        for (std::size_t u = 0; u < chosen.size() && small; ++u) {
            if (weights[u + 1] == 0) continue;
            const long* row = &layer.small[(layer.slices[u].first + static_cast<std::size_t>(chosen[u])) * inputs];
            for (std::size_t i = 0; i < inputs && small; ++i)
                small = !__builtin_add_overflow(acc[i], static_cast<__int128>(weights[u + 1]) * row[i], &acc[i]);
        }
        if (small) {
            for (std::size_t i = 0; i < inputs; ++i) set_int128(out[i], acc[i]);
            return;
        }
    }
    mpz_mul(out[0].get_mpz_t(), h[0].get_mpz_t(), layer.den.get_mpz_t());
    for (std::size_t i = 1; i < inputs; ++i) out[i] = 0;
    for (std::size_t u = 0; u < chosen.size(); ++u) {
        if (sgn(h[u + 1]) == 0) continue;
        const Row& row = layer.rows[layer.slices[u].first + static_cast<std::size_t>(chosen[u])];
        for (std::size_t i = 0; i < inputs; ++i)
            mpz_addmul(out[i].get_mpz_t(), h[u + 1].get_mpz_t(), row[i].get_mpz_t());
    }
}

MapPtr LayerMaps::output(const Pattern& pattern) {
    if (!has_pattern_[last_]) {  // nothing chooses: one map for every region
        MapPtr map = start_;
        for (std::size_t l = 0; l < has_pattern_.size(); ++l)
            map = kernel_->next_map(l, *map, choice(pattern, l), nullptr);
        return map;
    }
    Context& context = this->context(pattern, last_);
    const std::vector<int> chosen = choice(pattern, last_);
    if (!head_) return kernel_->next_map(last_, *context.map, chosen, &context);
    // head . (chosen pieces) first, in the layer's own small integers, then one product with
    // the region's map: the output times head.den, the layer's den and the map's.
    const LayerData& layer = kernel_->layer(last_);
    const MapData& map = *context.map;
    const std::size_t width = static_cast<std::size_t>(kernel_->dim()) + 1, inputs = map.rows.size() + 1;
    auto out = std::make_shared<MapData>();
    out->den = head_->den * layer.den * map.den;
    Row combined(inputs);
    for (const Row& h : head_->rows) {
        combine(h, layer, chosen, combined);
        Row& r = out->rows.emplace_back(width, 0);
        mpz_mul(r[0].get_mpz_t(), combined[0].get_mpz_t(), map.den.get_mpz_t());
        for (std::size_t i = 1; i < inputs; ++i) {
            if (sgn(combined[i]) == 0) continue;
            const Row& m = map.rows[i - 1];
            for (std::size_t k = 0; k < width; ++k)
                mpz_addmul(r[k].get_mpz_t(), combined[i].get_mpz_t(), m[k].get_mpz_t());
        }
    }
    Z g = out->den;
    for (const Row& r : out->rows)
        for (const Z& v : r) mpz_gcd(g.get_mpz_t(), g.get_mpz_t(), v.get_mpz_t());
    if (g != 1) {
        mpz_divexact(out->den.get_mpz_t(), out->den.get_mpz_t(), g.get_mpz_t());
        for (Row& r : out->rows)
            for (Z& v : r) mpz_divexact(v.get_mpz_t(), v.get_mpz_t(), g.get_mpz_t());
    }
    return out;
}

}  // namespace polyregions
