#include "maps.hpp"

#include <stdexcept>
#include <string>
#include <utility>

namespace polyregions {

LayerMaps::LayerMaps(std::shared_ptr<const Kernel> kernel, std::vector<char> has_pattern, MapPtr start)
    : kernel_(std::move(kernel)), has_pattern_(std::move(has_pattern)), start_(std::move(start)) {
    if (has_pattern_.size() != kernel_->layer_count() || kernel_->layer_count() == 0)
        throw std::invalid_argument("one has_pattern flag per layer, and at least one layer");
    kernel_->check_widths(start_->rows(), "domain map");
    if (sgn(start_->den) <= 0) throw std::invalid_argument("a map's denominator must be positive");
    for (std::size_t l = 0; l < has_pattern_.size(); ++l) {
        if (has_pattern_[l]) last_ = l;
        zeros_.emplace_back(kernel_->layer(l).slices.size(), 0);
    }
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
    // table_[o][j] = head row o's weight of unit u times piece j of u (empty when the weight is 0).
    const LayerData& layer = kernel_->layer(last_);
    table_.assign(head.rows.size(), Rows(layer.rows.size()));
    for (std::size_t o = 0; o < head.rows.size(); ++o)
        for (std::size_t u = 0; u < n; ++u) {
            const Z& weight = head.rows[o][u + 1];
            if (sgn(weight) == 0) continue;
            for (std::size_t j = layer.slices[u].first; j < layer.slices[u].second; ++j) {
                Row& term = table_[o][j];
                for (const Z& v : layer.rows[j]) term.push_back(weight * v);
            }
        }
    head_.emplace(std::move(head));
}

const std::vector<int>& LayerMaps::choice(const Pattern& pattern, std::size_t layer) const {
    const auto& slices = kernel_->layer(layer).slices;
    if (!has_pattern_[layer]) return zeros_[layer];  // one piece per unit
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
    std::vector<int>& key = key_;
    key.clear();
    for (std::size_t l = 0; l < layer; ++l) {
        const std::vector<int>& chosen = choice(pattern, l);
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
    // The recursion above reused key_: build this layer's key again.
    std::vector<int> own;
    for (std::size_t l = 0; l < layer; ++l) {
        const std::vector<int>& chosen = choice(pattern, l);
        own.insert(own.end(), chosen.begin(), chosen.end());
        own.push_back(-1);
    }
    return *(contexts_[std::move(own)] = std::move(made));
}

void LayerMaps::add_term(std::size_t u, int piece, int sign) {
    const LayerData& layer = kernel_->layer(last_);
    for (std::size_t o = 0; o < combined_.size(); ++o) {
        const Row& term = table_[o][layer.slices[u].first + static_cast<std::size_t>(piece)];
        if (term.empty()) continue;  // the head does not read unit u
        Row& out = combined_[o];
        for (std::size_t i = 0; i < out.size(); ++i)
            if (sign > 0)
                mpz_add(out[i].get_mpz_t(), out[i].get_mpz_t(), term[i].get_mpz_t());
            else
                mpz_sub(out[i].get_mpz_t(), out[i].get_mpz_t(), term[i].get_mpz_t());
    }
}

const Rows& LayerMaps::combine(const std::vector<int>& chosen) {
    // Row o = (h_0 den, 0, ...) + sum_u h_{u+1} rows[chosen piece of u], the products tabulated.
    if (combined_.empty()) {
        const LayerData& layer = kernel_->layer(last_);
        const std::size_t inputs = layer.rows.empty() ? 1 : layer.rows.front().size();
        for (std::size_t o = 0; o < head_->rows.size(); ++o) {
            Row& out = combined_.emplace_back(inputs, 0);
            mpz_mul(out[0].get_mpz_t(), head_->rows[o][0].get_mpz_t(), layer.den.get_mpz_t());
        }
        for (std::size_t u = 0; u < chosen.size(); ++u) add_term(u, chosen[u], +1);
        combined_choice_ = chosen;
        return combined_;
    }
    for (std::size_t u = 0; u < chosen.size(); ++u) {
        if (chosen[u] == combined_choice_[u]) continue;
        add_term(u, combined_choice_[u], -1);
        add_term(u, chosen[u], +1);
        combined_choice_[u] = chosen[u];
    }
    return combined_;
}

MapPtr LayerMaps::output(const Pattern& pattern) {
    if (!has_pattern_[last_]) {  // nothing chooses: one map for every region
        MapPtr map = start_;
        for (std::size_t l = 0; l < has_pattern_.size(); ++l)
            map = kernel_->next_map(l, *map, choice(pattern, l), nullptr);
        return map;
    }
    Context& context = this->context(pattern, last_);
    const std::vector<int>& chosen = choice(pattern, last_);
    if (!head_) return kernel_->next_map(last_, *context.map, chosen, &context);
    // head . (chosen pieces) first, in the layer's own small integers, then one product with
    // the region's map: the output times head.den, the layer's den and the map's.
    const LayerData& layer = kernel_->layer(last_);
    const MapData& map = *context.map;
    const std::size_t width = static_cast<std::size_t>(kernel_->dim()) + 1, inputs = map.size() + 1;
    const Rows& map_rows = map.rows();
    Z den = head_->den * layer.den * map.den;
    Rows rows;
    const Rows& all = combine(chosen);
    for (std::size_t o = 0; o < head_->rows.size(); ++o) {
        const Row& combined = all[o];
        Row& r = rows.emplace_back(width, 0);
        mpz_mul(r[0].get_mpz_t(), combined[0].get_mpz_t(), map.den.get_mpz_t());
        for (std::size_t i = 1; i < inputs; ++i) {
            if (sgn(combined[i]) == 0) continue;
            const Row& m = map_rows[i - 1];
            for (std::size_t k = 0; k < width; ++k)
                mpz_addmul(r[k].get_mpz_t(), combined[i].get_mpz_t(), m[k].get_mpz_t());
        }
    }
    lowest_terms(den, rows);
    return std::make_shared<MapData>(std::move(den), std::move(rows));
}

}  // namespace polyregions
