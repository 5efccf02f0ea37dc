#include "classes.hpp"

#include <algorithm>
#include <cstddef>
#include <stdexcept>

namespace polyregions {

std::vector<int> undominated_classes(const Rows& outputs, const Rows& points, const Rows& rays,
                                     const Rows& lines) {
    std::vector<std::size_t> reps;
    for (std::size_t k = 0; k < outputs.size(); ++k)
        if (std::find(outputs.begin(), outputs.begin() + static_cast<long>(k), outputs[k]) ==
            outputs.begin() + static_cast<long>(k))
            reps.push_back(k);
    // values[r][g]: output reps[r] at generator g (points, rays, lines, then the lines negated).
    std::vector<std::vector<Z>> values(reps.size());
    for (std::size_t r = 0; r < reps.size(); ++r) {
        const Row& y = outputs[reps[r]];
        for (const Rows* part : {&points, &rays, &lines}) {
            for (const Row& g : *part) {
                if (g.size() != y.size()) throw std::invalid_argument("an output and a generator of different widths");
                values[r].push_back(dot(y, g));
            }
        }
        for (const Row& g : lines) values[r].push_back(-dot(y, g));
    }
    std::vector<int> alive;
    for (std::size_t r = 0; r < reps.size(); ++r) {
        bool below = false;
        for (std::size_t s = 0; s < reps.size() && !below; ++s) {
            if (s == r) continue;
            bool everywhere = true;
            for (std::size_t g = 0; g < values[r].size() && everywhere; ++g)
                everywhere = values[s][g] >= values[r][g];
            below = everywhere;
        }
        if (!below) alive.push_back(static_cast<int>(reps[r]));
    }
    return alive;
}

Rows class_differences(const Rows& outputs, const std::vector<int>& classes) {
    Rows out;
    for (const int i : classes) {
        const Row& y = outputs.at(static_cast<std::size_t>(i));
        for (std::size_t j = 0; j < outputs.size(); ++j) {
            if (j == static_cast<std::size_t>(i)) continue;
            Row& d = out.emplace_back(y.size());
            for (std::size_t c = 0; c < y.size(); ++c)
                mpz_sub(d[c].get_mpz_t(), y[c].get_mpz_t(), outputs[j][c].get_mpz_t());
            make_primitive(d);
        }
    }
    return out;
}

}  // namespace polyregions
