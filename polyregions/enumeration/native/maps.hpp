// The layer maps of activation patterns, for the analysis: the map into each
// layer on a pattern's earlier layers (and the layer's context on it), and the
// network's output map, composed by Kernel::next_map as the walk composes them
// and kept by pattern prefix, since the regions of one prefix share them.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "kernel.hpp"
#include "rows.hpp"

namespace polyregions {

using Pattern = std::vector<std::vector<int>>;

class LayerMaps {
  public:
    // has_pattern: whether each layer's units choose (a linear layer's do not);
    // start: the domain's map into the input space.
    LayerMaps(std::shared_ptr<const Kernel> kernel, std::vector<char> has_pattern, MapPtr start);

    const Kernel& kernel() const { return *kernel_; }
    bool has_pattern(std::size_t layer) const { return has_pattern_.at(layer) != 0; }
    // The pieces chosen at `layer` (all 0 for a linear layer), checked against the layer.
    const std::vector<int>& choice(const Pattern& pattern, std::size_t layer) const;
    // Layer `layer`'s context on the map of the pattern's layers before it.
    Context& context(const Pattern& pattern, std::size_t layer);
    // The network's output map on the pattern (den > 0, in lowest terms).
    MapPtr output(const Pattern& pattern);

  private:
    // The layers after the last one that chooses, multiplied out once: the output is
    // (rows[o][0] + rows[o][1:] . z) / den of that layer's chosen pieces z.
    struct Head {
        Z den = 1;
        Rows rows;
    };
    void multiply_head();
    // Head row o times the layer's chosen pieces, for every o: rows over the layer's input (1, y),
    // in combined_. Regions come in the walk's order, where consecutive ones mostly differ in a
    // few units of that layer: only those units' terms are taken out and put in.
    const Rows& combine(const std::vector<int>& chosen);
    // Add (sign +1) or take out (-1) unit u's term with piece `piece` in every combined row.
    void add_term(std::size_t u, int piece, int sign);

    std::shared_ptr<const Kernel> kernel_;
    std::vector<char> has_pattern_;
    MapPtr start_;
    std::size_t last_ = 0;  // the last layer that chooses (0 when none does)
    std::optional<Head> head_;  // when that layer is followed by fixed layers
    std::vector<Rows> table_;   // by head row and piece of that layer: their product (see combine)
    Rows combined_;             // combine's rows, of the pieces combined_choice_ (empty: none yet)
    std::vector<int> combined_choice_;
    // By pattern prefix: the earlier layers' choices, flattened, each layer closed by -1.
    std::map<std::vector<int>, ContextPtr> contexts_;
    std::vector<std::vector<int>> zeros_;  // by layer: the choice of a layer without pattern
    std::vector<int> key_;                 // scratch: the key being looked up
};

}  // namespace polyregions
