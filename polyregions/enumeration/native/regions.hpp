// The regions of an enumeration as the analysis helpers read them: every
// region's generators converted from Python ints once, for all the analyses
// that read them (the decision boundary's classes, genericity).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "rows.hpp"

namespace polyregions {

struct RegionGenerators {
    Rows points, rays, lines;
};

class RegionTable {
  public:
    explicit RegionTable(int dim) : width_(static_cast<std::size_t>(dim) + 1) {
        if (dim < 1) throw std::invalid_argument("the domain's dimension must be positive");
    }

    // Append a region (its rows checked: dim + 1 entries each); its index.
    std::size_t add(RegionGenerators region) {
        for (const Rows* part : {&region.points, &region.rays, &region.lines})
            for (const Row& r : *part)
                if (r.size() != width_)
                    throw std::invalid_argument("a generator row has " + std::to_string(r.size()) +
                                                " entries, expected dim + 1 = " + std::to_string(width_));
        regions_.push_back(std::move(region));
        return regions_.size() - 1;
    }

    const RegionGenerators& at(std::size_t i) const {
        if (i >= regions_.size())
            throw std::out_of_range("no region " + std::to_string(i) + " in a table of " +
                                    std::to_string(regions_.size()));
        return regions_[i];
    }

    std::size_t size() const { return regions_.size(); }

  private:
    std::size_t width_;
    std::vector<RegionGenerators> regions_;
};

}  // namespace polyregions
