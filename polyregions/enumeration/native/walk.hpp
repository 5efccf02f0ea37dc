// The engine's depth-first loop (engine.Job.drain and Job._advance) in C++:
// screen, cut, push the children in order, compose the next layer's map,
// finish. Regions come out in exactly the engine's order; the walk stops
// after a given number of regions or seconds and can be resumed, so that the
// Python side keeps its limits, progress reports and Ctrl-C.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "adjacency.hpp"
#include "faces.hpp"
#include "kernel.hpp"

namespace polyregions {

using Choice = std::vector<int>;

// What the engine does at one layer: screen it, or take a fixed choice (LayerPlan.fixed_choice).
struct LayerStep {
    bool has_pattern = true;
    std::optional<Choice> fixed;
};

// engine.WorkItem: a region waiting for the units from (done.size(), current.size()) on.
struct WorkItem {
    CellPtr cell;
    std::vector<Choice> done;
    Choice current;
    MapPtr map;
    ContextPtr context;
    NodePtr node;  // its place in the adjacency, when the walk tracks it
};

class Walk {
  public:
    // `steps` has one entry per layer up to the depth (the last layer with a pattern);
    // `layers` is the number of layers of the network (the pattern's length).
    Walk(std::shared_ptr<const Kernel> kernel, std::vector<LayerStep> steps, std::size_t layers,
         std::vector<WorkItem> stack);
    ~Walk();
    Walk(const Walk&) = delete;
    Walk& operator=(const Walk&) = delete;

    // Finish regions until `limit` are done, `seconds` have passed or the stack is empty;
    // `emit(item, shared)` gets each finished one, in order, with the facets it shares with
    // the regions finished before it (empty unless its item has a node; the walk numbers
    // the regions from 0). Returns how many were finished.
    template <class Emit>
    std::size_t run(std::size_t limit, double seconds, Emit&& emit) {
        counting_ = false;
        return walk(limit, seconds, emit);
    }
    // Count the regions as run would finish them, at most `limit`, and add the bounded ones to
    // `bounded`. A polygon at the last layer with a pattern is counted without cutting it when
    // its units have two pieces each (Kernel::count_line_faces), as many regions at once.
    std::size_t count(std::size_t limit, double seconds, std::size_t& bounded) {
        counting_ = true;
        return walk(limit, seconds, [&](const WorkItem& work, const std::vector<SharedPiece>&) {
            if (work.cell->bounded()) bounded += regions_;
        });
    }

    bool empty() const { return stack_.empty(); }
    const std::vector<WorkItem>& stack() const { return stack_; }
    // The finished region's pattern: the layers done, then () for the layers past the depth.
    std::vector<Choice> pattern(const WorkItem& item) const;

  private:
    template <class Emit>
    std::size_t walk(std::size_t limit, double seconds, Emit&& emit);
    // Take the work one step on; true when it is finished: as one region, or, when counting, as
    // regions_ of them.
    bool advance(WorkItem& work);
    // The screening's cells, cut from `parent`, into cells_ (nullptr where one has no interior).
    void cut_cells(CellPtr parent, const Screening& screening);
    // The same for a polygon split by a ReLU-like unit whose signs at the vertices the
    // screening proved (Screening::signs), with them.
    void split_with_signs(const CellPtr& parent, const Screening& screening);
    void link_children(WorkItem& work, const Screening& screening,
                       const std::vector<std::size_t>& positions, std::size_t base);

    std::shared_ptr<const Kernel> kernel_;
    std::vector<LayerStep> steps_;
    std::size_t layers_;
    std::vector<WorkItem> stack_;
    long index_ = 0;
    // Buffers of advance, kept from one split to the next: most cells are split.
    Screening screening_;
    std::vector<CellPtr> cells_;
    std::vector<std::size_t> positions_;
    std::vector<int> signs_;
    FaceScratch faces_;
    bool counting_ = false;
    std::size_t allowance_ = 0;  // when counting: how many more regions the limit admits
    std::size_t regions_ = 1;    // how many regions the last finished work item holds
};

template <class Emit>
std::size_t Walk::walk(std::size_t limit, double seconds, Emit&& emit) {
    using clock = std::chrono::steady_clock;
    const auto until = clock::now() + std::chrono::duration<double>(seconds);
    std::size_t finished = 0, steps = 0;
    while (!stack_.empty() && finished < limit) {
        WorkItem work = std::move(stack_.back());
        stack_.pop_back();
        allowance_ = limit - finished;
        regions_ = 1;
        if (advance(work)) {
            const std::vector<SharedPiece> shared =
                work.node ? finish_node(*work.node, index_) : std::vector<SharedPiece>{};
            index_ += static_cast<long>(regions_);
            emit(work, shared);
            finished += regions_;
        }
        if (++steps % 64 == 0 && clock::now() > until) break;
    }
    return finished;
}

}  // namespace polyregions
