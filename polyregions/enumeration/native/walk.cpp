#include "walk.hpp"

#include <algorithm>
#include <stdexcept>
#include <tuple>

namespace polyregions {

Walk::Walk(std::shared_ptr<const Kernel> kernel, std::vector<LayerStep> steps, std::size_t layers,
           std::vector<WorkItem> stack)
    : kernel_(std::move(kernel)), steps_(std::move(steps)), layers_(layers), stack_(std::move(stack)) {
    if (steps_.size() > layers_ || layers_ > kernel_->layer_count())
        throw std::invalid_argument("the walk's depth exceeds the network's layers");
    for (const WorkItem& item : stack_)
        if (!item.cell || !item.map || item.done.size() > steps_.size())
            throw std::invalid_argument("a work item without a cell or a map, or past the depth");
}

Walk::~Walk() {
    // Live nodes link each other both ways: clear the links of the work never finished.
    for (WorkItem& item : stack_)
        if (item.node) item.node->links.clear();
}

std::vector<Choice> Walk::pattern(const WorkItem& item) const {
    std::vector<Choice> out = item.done;
    out.resize(layers_);
    return out;
}

bool Walk::advance(WorkItem& work) {
    const std::size_t depth = steps_.size();
    while (work.done.size() < depth) {
        const std::size_t layer = work.done.size();
        const LayerStep& step = steps_[layer];
        if (step.fixed) {
            work.current = *step.fixed;
        } else {
            if (!work.context) work.context = kernel_->enter_layer(layer, work.map);
            // Counting needs no region of the last layer with a pattern, only their number; the
            // adjacency, when tracked, needs the cells.
            if (counting_ && layer + 1 == depth && allowance_ > 1 && !work.node) {
                const std::optional<std::size_t> regions =
                    kernel_->count_line_faces(*work.context, *work.cell, work.current.size(), allowance_, faces_);
                if (regions) {
                    regions_ = *regions;
                    return true;
                }
            }
            Screening& screening = screening_;
            kernel_->screen(*work.context, *work.cell, work.current.size(), screening);
            // Room for a choice of every unit: the children's choices then grow in place.
            const std::size_t units = kernel_->layer(layer).slices.size();
            if (work.current.capacity() < units) work.current.reserve(units);
            work.current.insert(work.current.end(), screening.winners.begin(), screening.winners.end());
            if (!screening.cells.empty()) {
                // The children in the order of their pieces, pushed last-first.
                const std::size_t base = stack_.size();
                std::vector<std::size_t>& positions = positions_;
                positions.clear();
                cut_cells(std::move(work.cell), screening);
                for (std::size_t i = 0; i < screening.cells.size(); ++i) {
                    const Candidate& candidate = screening.cells[i];
                    CellPtr& cell = cells_[i];
                    if (!cell) continue;
                    // The last child takes the parent's pattern: nothing reads it afterwards.
                    const bool last = i + 1 == screening.cells.size();
                    WorkItem child{std::move(cell), last ? std::move(work.done) : work.done, Choice{}, work.map,
                                   work.context, nullptr};
                    if (last) {
                        child.current = std::move(work.current);
                    } else {
                        child.current.reserve(units);
                        child.current.assign(work.current.begin(), work.current.end());
                    }
                    child.current.push_back(candidate.piece);
                    stack_.push_back(std::move(child));
                    positions.push_back(i);
                }
                if (work.node) link_children(work, screening, positions, base);
                std::reverse(stack_.begin() + static_cast<std::ptrdiff_t>(base), stack_.end());
                return false;
            }
        }
        // A layer without a pattern records () and composes with piece 0 of every unit.
        const Choice used = step.has_pattern ? work.current
                                             : Choice(kernel_->layer(layer).slices.size(), 0);
        if (work.done.capacity() < depth) work.done.reserve(depth);  // one allocation for the region's layers
        work.done.push_back(step.has_pattern ? std::move(work.current) : Choice{});
        if (work.done.size() < depth) {
            work.map = kernel_->next_map(layer, *work.map, used, work.context.get());
            work.context.reset();
        }
        work.current.clear();
    }
    return true;
}

void Walk::cut_cells(CellPtr parent, const Screening& screening) {
    // The last cut may take the parent's vertices: nothing reads it afterwards (and with two
    // cells, the first may take those only it keeps).
    const std::vector<Candidate>& candidates = screening.cells;
    std::vector<CellPtr>& cells = cells_;
    cells.assign(candidates.size(), nullptr);
    if (cells.size() == 2 && parent->kind() == CellKind::polygon &&
        screening.signs.size() == parent->polygon().points.size())
        return split_with_signs(parent, screening);
    if (cells.size() == 2) {
        std::tie(cells[0], cells[1]) =
            Cell::cut_pair(std::move(parent), candidates[0].cuts, candidates[1].cuts, kernel_->dim());
        return;
    }
    for (std::size_t i = 0; i + 1 < cells.size(); ++i) cells[i] = kernel_->cut(*parent, candidates[i].cuts);
    if (!cells.empty()) cells.back() = Cell::cut_last_use(std::move(parent), candidates.back().cuts, kernel_->dim());
}

void Walk::split_with_signs(const CellPtr& parent, const Screening& screening) {
    // cells[0] is where the cut -p >= 0, cells[1] where p >= 0 (Kernel::split_cells); the
    // signs are p's, so the first cut's are their negations.
    std::vector<int>& signs = signs_;
    signs.resize(screening.signs.size());
    for (std::size_t i = 0; i < signs.size(); ++i) signs[i] = screening.signs[i] == 2 ? 2 : -screening.signs[i];
    Polygon parts[2];
    const RowPtr& first = screening.cells[0].cuts[0];
    const RowPtr& second = screening.cells[1].cuts[0];
    const std::pair<Clip, Clip> clips = split_polygon(parent->polygon(), first, second, parts[0], parts[1], signs.data());
    const auto side = [&](Clip clip, Polygon& part) -> CellPtr {
        return clip == Clip::empty ? nullptr : clip == Clip::unchanged ? parent : Cell::from_polygon(std::move(part));
    };
    cells_[0] = side(clips.first, parts[0]);
    cells_[1] = side(clips.second, parts[1]);
}

void Walk::link_children(WorkItem& work, const Screening& screening,
                         const std::vector<std::size_t>& positions, std::size_t base) {
    std::vector<CellFacts> facts;
    for (std::size_t k = 0; k < positions.size(); ++k) {
        const Cell& cell = *stack_[base + k].cell;
        facts.push_back({cell.facets(), &cell.points()});
    }
    std::vector<NodePtr> nodes = split_node(*work.node, screening.cells, positions, facts, kernel_->dim());
    for (std::size_t k = 0; k < nodes.size(); ++k) stack_[base + k].node = std::move(nodes[k]);
}

}  // namespace polyregions
