// The genericity checks of polyregions/analysis/genericity.py, as a certificate:
// GenericityScreen::passes says a region certainly passes every check, or that
// the Python checker must look at it (false: maybe a failure, maybe a case left
// to it, such as a region with lines). It never says more than that, so the
// Python checker stays the one that decides and words every failure.
//
// The tie conditions of a region are found as the Python checker finds them:
// the kernel's own composed piece rows over the domain (Kernel::piece_rows, one
// positive multiple of the Python rows per unit, which changes no zero test)
// and its certified float filter (floats.hpp) first, exact integers for every
// generator the filter cannot separate.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "floats.hpp"
#include "kernel.hpp"
#include "maps.hpp"
#include "rows.hpp"

namespace polyregions {

class GenericityScreen {
  public:
    // depth: one past the last layer whose units choose; domain: the domain's facet rows. The
    // maps may be shared (with the output maps): the prefixes' contexts are then composed once.
    GenericityScreen(std::shared_ptr<LayerMaps> maps, std::size_t depth, const Rows& domain);

    // Whether the region (its pattern and generators) passes every check.
    bool passes(const Pattern& pattern, const Rows& points, const Rows& rays, const Rows& lines);

  private:
    // One layer's pieces on the map of one pattern prefix.
    struct Prefix {
        Context* context = nullptr;  // kept by maps_
        bool constant = false;       // the layer's input is constant on the domain
        std::optional<PieceFloats> floats;
        std::vector<char> floats_ready;  // by unit
    };
    using Generators = std::vector<const Row*>;  // points, then rays

    Prefix& prefix(const Pattern& pattern, std::size_t layer);
    // Count, at each generator, the ties of one layer vanishing there (into ties_); false when
    // a tie is identically zero.
    bool conditions(Prefix& prefix, std::size_t layer, const std::vector<int>& chosen,
                    const Generators& gens, const std::vector<double>& scaled);
    bool vertices_pass(const Generators& gens, std::size_t n_points);
    // Whether row . g == 0, exactly (in the scratch acc_).
    bool zero_at(const Row& row, const Row& g);
    // Whether generator g is on domain facet f: zero_at, in word-sized multipliers for the
    // facets of boxes (a few entries, all small).
    bool on_domain_facet(std::size_t f, const Row& g);

    std::shared_ptr<LayerMaps> maps_;
    std::size_t depth_;
    Rows domain_;  // its facet rows
    // By domain facet: its nonzero entries (column, magnitude, negative) when each fits a
    // limb; empty when one does not, or when none is nonzero (then zero_at reads the row).
    struct SmallTerm {
        std::size_t column;
        unsigned long magnitude;
        bool negative;
    };
    std::vector<std::vector<SmallTerm>> small_domain_;
    // Scratch, kept between regions so that their numbers keep their room: the tie being
    // tested, a dot product, the winner's floats, and by generator: maybe tied, ties through it.
    Row tie_;
    Z acc_;
    std::vector<double> winner_values_, winner_bounds_;
    std::vector<char> maybe_;
    std::vector<std::size_t> ties_;
    std::map<const Context*, Prefix> prefixes_;
};

}  // namespace polyregions
