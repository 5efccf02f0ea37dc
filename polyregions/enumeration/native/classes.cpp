#include "classes.hpp"

#include <algorithm>
#include <cstddef>
#include <stdexcept>

#include "floats.hpp"

namespace polyregions {

namespace {

// Whether y_s >= y_r at every generator, i.e. (y_s - y_r) . g >= 0 for each, a line in both
// directions. The certified float filter (floats.hpp) settles most signs; exact integers the rest.
class Domination {
  public:
    Domination(const Rows& points, const Rows& rays, const Rows& lines) {
        for (const Rows* part : {&points, &rays, &lines})
            for (const Row& g : *part) gens_.push_back(&g);
        rays_end_ = points.size() + rays.size();
        floats_ = generator_doubles(points);
        for (const Rows* part : {&rays, &lines}) {
            const std::vector<double> more = generator_doubles(*part);
            floats_.insert(floats_.end(), more.begin(), more.end());
        }
    }

    bool everywhere_above(const Row& ys, const Row& yr) {
        const std::size_t width = ys.size();
        diff_.resize(width);
        for (std::size_t c = 0; c < width; ++c)
            mpz_sub(diff_[c].get_mpz_t(), ys[c].get_mpz_t(), yr[c].get_mpz_t());
        diff_floats_.resize(width);
        scaled_row(diff_, diff_floats_.data());
        for (std::size_t g = 0; g < gens_.size(); ++g) {
            int sign = certified_dot_sign(diff_floats_.data(), &floats_[g * width], width);
            if (sign == 2) sign = sgn(dot(diff_, *gens_[g]));
            // Below at a point or ray; at a line, anything but zero is below in one direction.
            if (sign < 0 || (g >= rays_end_ && sign != 0)) return false;
        }
        return true;
    }

  private:
    std::vector<const Row*> gens_;  // points, rays, then lines
    std::size_t rays_end_ = 0;
    std::vector<double> floats_;    // their scaled doubles, in that order
    Row diff_;
    std::vector<double> diff_floats_;
};

}  // namespace

std::vector<int> undominated_classes(const Rows& outputs, const Rows& points, const Rows& rays,
                                     const Rows& lines) {
    for (const Row& y : outputs)
        for (const Rows* part : {&points, &rays, &lines})
            for (const Row& g : *part)
                if (g.size() != y.size()) throw std::invalid_argument("an output and a generator of different widths");
    std::vector<std::size_t> reps;
    for (std::size_t k = 0; k < outputs.size(); ++k)
        if (std::find(outputs.begin(), outputs.begin() + static_cast<long>(k), outputs[k]) ==
            outputs.begin() + static_cast<long>(k))
            reps.push_back(k);
    Domination domination(points, rays, lines);
    std::vector<int> alive;
    for (std::size_t r = 0; r < reps.size(); ++r) {
        bool below = false;
        for (std::size_t s = 0; s < reps.size() && !below; ++s)
            below = s != r && domination.everywhere_above(outputs[reps[s]], outputs[reps[r]]);
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
