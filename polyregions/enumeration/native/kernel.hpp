// The native kernel: the contract of polyregions/enumeration/kernel.py in C++.
//
// Everything mirrors polyregions/enumeration/reference.py step by step (same
// cell kinds, same screening, same cuts, same order), so that both backends
// give identical regions; the float filter (floats.hpp) only settles signs it
// can prove, and everything else is decided in exact integers.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "cells.hpp"
#include "floats.hpp"
#include "medium.hpp"
#include "rows.hpp"
#include "screen.hpp"

namespace polyregions {

struct FaceScratch;

struct Options {
    bool polygon_path = true;
    bool incidence_path = true;
    bool float_filter = true;
};

// A layer's pieces: piece j is rows[j] . (1, y) / den; unit u has rows [slices[u].first, .second).
struct LayerData {
    Rows rows;
    std::vector<std::pair<std::size_t, std::size_t>> slices;
    Z den = 1;
    std::vector<double> weights;  // scaled_matrix(rows), for the float filter
    std::vector<long> small;      // small_rows(rows): empty unless every entry fits a long
    std::vector<__int128> medium; // medium_rows(rows) when `small` is empty: unless 128 bits are too few
    std::vector<char> zero;       // by piece: the row is 0 (ReLU's piece 0)
};

// A layer-input map y = rows . (1, x) / den over the domain coordinates x.
//
// A map made in machine integers keeps its entries as __int128 (rows of `width` entries,
// row-major) and makes GMP rows of them only when they are asked for: most maps of a walk
// are read only as machine integers and floats, then dropped.
class MapData {
  public:
    MapData(Z den, Rows rows) : den(std::move(den)), rows_(std::move(rows)) {}
    MapData(Z den, std::vector<__int128> wide, std::size_t width)
        : den(std::move(den)), wide_(std::move(wide)), width_(width) {}

    Z den;
    // The map's float image as floats.hpp's scaled_map gives it (within its error bounds), when
    // the map was made in machine integers; else empty (scaled_map makes it).
    std::vector<double> image;

    const Rows& rows() const;
    std::size_t size() const { return rows_ ? rows_->size() : (width_ ? wide_.size() / width_ : 0); }
    // Whether the rows are still only 128-bit entries (rows() has not made GMP numbers of them).
    bool wide() const { return !rows_; }
    // Entry c of row i, when the map is wide.
    __int128 wide_entry(std::size_t i, std::size_t c) const { return wide_[i * width_ + c]; }

    // The homogenised map (1, x) -> den (1, y) in longs, without its zero rows (a ReLU unit
    // off on the region has one): `inputs` are the rows kept (0 is (den, 0, ..., 0), i + 1 is
    // rows[i]), `columns` their entries column by column, column c at c * inputs.size(). The
    // composed piece row of r is (sum over k of r[inputs[k]] columns[c][k], for each column c).
    // Built on first use; `columns` is empty unless every entry fits.
    struct Small {
        std::vector<std::size_t> inputs;
        std::vector<long> columns;
    };
    const Small& small_columns() const;

  private:
    std::vector<__int128> wide_;
    std::size_t width_ = 0;
    mutable std::optional<Rows> rows_;
    mutable std::optional<Small> small_;
};
using MapPtr = std::shared_ptr<const MapData>;

// One layer's pieces on one map: composed rows by unit and the float filter,
// both filled on first use and shared by every cell of that map.
class Context {
  public:
    Context(std::size_t layer, MapPtr map) : layer(layer), map(std::move(map)) {}
    const std::size_t layer;
    const MapPtr map;

  private:
    friend class Kernel;
    bool ready_ = false;
    std::vector<std::optional<Rows>> pieces_;   // by unit
    std::vector<std::optional<Row>> composed_;  // by piece: rows of next_map (many inputs) or pair_cut
    std::optional<PieceFloats> floats_;
    std::vector<char> floats_ready_;            // by unit
    // By unit: the cuts (-p, p) of a ReLU-like unit's split (split_cells), made on first use
    // and shared by every cell of the context that the unit splits.
    std::vector<std::array<RowPtr, 2>> split_cuts_;
    // By unit: a maxout unit's cuts k - j (float_alive), at rank k + j, and its pieces' 128-bit
    // rows, made on first use and shared by every cell of the context the unit splits.
    struct PairCuts {
        std::vector<__int128> entries;  // by piece, dim + 1 each
        std::vector<char> composed;     // by piece: 0 not yet, 1 in entries, 2 does not fit
        std::vector<RowPtr> cuts;
    };
    std::vector<PairCuts> pair_cuts_;
};
using ContextPtr = std::shared_ptr<Context>;

struct Screening {
    std::vector<int> winners;
    std::vector<Candidate> cells;
    // Scratch of the float filter: one unit's values and bounds, by piece and generator, and a
    // polygon's vertex images (Cell::generator_floats' doubles).
    std::vector<double> values, bounds, generators;
    // When the floats proved a ReLU-like unit splits the cell: by generator, the sign they
    // proved of the cut of cells[1] (piece p), or 2 where they settle nothing; else empty.
    // A polygon's split reads them instead of certifying them again.
    std::vector<int> signs;
};

class Kernel {
  public:
    Kernel(int dim, std::vector<LayerData> layers, Options options);

    int dim() const { return dim_; }
    std::size_t layer_count() const { return layers_.size(); }
    const LayerData& layer(std::size_t i) const { return layers_.at(i); }
    const Options& options() const { return options_; }

    // The domain as a cell of the kind reference.ReferenceKernel.start picks.
    CellPtr start(Rows facets, Rows points, Rows rays, Rows lines) const;
    ContextPtr enter_layer(std::size_t layer, MapPtr map) const;
    Screening screen(Context& context, const Cell& cell, std::size_t first_unit) const;
    // The same, into `out` (whose buffers a walk keeps from one cell to the next).
    void screen(Context& context, const Cell& cell, std::size_t first_unit, Screening& out) const;
    CellPtr cut(const Cell& cell, const SharedRows& cuts) const { return cell.cut(cuts, dim_); }
    // Throws unless every row has dim + 1 entries: the exact loops read that many unchecked.
    void check_widths(const Rows& rows, const char* what) const;
    // The next layer's input map where unit u's winner is chosen[u] (den > 0, gcd 1 with the rows).
    MapPtr next_map(std::size_t layer, const MapData& map, const std::vector<int>& chosen,
                    Context* context) const;
    // Unit `unit`'s pieces composed over the domain (P_k . (1, x) = c z_k(x), c > 0).
    const Rows& piece_rows(Context& context, std::size_t unit) const;
    // The number of regions into which the units from `first_unit` on of the context's layer cut
    // a polygon cell, each unit having two pieces (faces.hpp), counted without cutting it; nullopt
    // when a unit has more pieces, the float filter is off, or there are more than `most`.
    std::optional<std::size_t> count_line_faces(Context& context, const Cell& cell, std::size_t first_unit,
                                                std::size_t most, FaceScratch& scratch) const;

  private:
    // Piece j of `layer` composed with the map: its coefficient of column c, into out.
    void compose(Z& out, const LayerData& layer, std::size_t j, const MapData& map, std::size_t c) const;
    void prepare(Context& context) const;
    // The float filter's values (and totals, or magnitudes) of unit u's pieces, made once per context.
    void ready_floats(Context& context, std::size_t unit) const;
    // The context's composed row of piece j (unit u, its piece `choice`), or nullptr.
    static const Row* known_piece(const Context* context, std::size_t u, std::size_t choice, std::size_t j);
    // Compose the chosen pieces into the context once, where the map has enough inputs for
    // that to beat composing them again for every region of the context.
    void remember_pieces(const LayerData& layer, const MapData& map, const std::vector<int>& chosen,
                         Context& context) const;
    // next_map's two ways to the same map: in machine integers (nullptr when something does
    // not fit in 64 bits in or 128 bits on the way), and in GMP.
    MapPtr small_next_map(const LayerData& layer, const MapData& map, const std::vector<int>& chosen,
                          const Context* context) const;
    MapPtr exact_next_map(const LayerData& layer, const MapData& map, const std::vector<int>& chosen,
                          Context* context) const;
    // The two cells of a ReLU-like unit (pieces 0 and p, piece 0 the zero row) that splits a cell.
    // They go into `cells`, which keeps its buffers where it has them.
    void split_cells(Context& context, std::size_t unit, std::vector<Candidate>& cells) const;
    // certified_winner's answer (besides a winner, or -1 when the floats settle nothing) when
    // they prove that a unit (0, p) splits the cell.
    static constexpr int kCertifiedSplit = -2;
    // screen_unit's answer for a unit certified_winner left open, from the floats alone where
    // they settle which pieces stay in the running, with pair_cut's cuts: the winner,
    // kCertifiedSplit with the cells in out.cells, or -1 when something is not settled (then
    // screen_unit decides exactly). Reads out.values and out.bounds.
    int float_alive(Context& context, std::size_t unit, std::size_t n, Screening& out) const;
    // The cut of piece k's cell against piece j of the unit (float_alive): from 128-bit rows
    // where they fit, else from exact_piece's.
    const RowPtr& pair_cut(Context& context, std::size_t unit, std::size_t k, std::size_t j) const;
    // Piece j of the context's layer composed over the domain, made on first use (composed_).
    const Row& exact_piece(Context& context, std::size_t j) const;
    // certified_winner's candidate, certified with one bound per piece for every generator
    // (from the total of its magnitudes, as certified_sign's): the winner, or -1 when those
    // bounds do not settle it (then the generators' own bounds may).
    int loose_winner(const PieceFloats& floats, std::size_t begin, std::size_t rank, const double* gens,
                     std::size_t n) const;
    // (gens: the cell's n generators' floats, dim + 1 each)
    int certified_winner(Context& context, const double* gens, std::size_t n, std::size_t unit,
                         bool signs, Screening& out) const;
    // (gens: the n generators' floats, dim + 1 each; when `signs`, out.signs gets the signs it
    // proves, by generator, if it returns kCertifiedSplit)
    int certified_sign(const PieceFloats& floats, std::size_t piece, const double* gens, std::size_t n,
                       bool signs, Screening& out) const;

    int dim_;
    std::vector<LayerData> layers_;
    Options options_;
};

// The layer's data from its rows, slices and denominator (checked: one slice per unit, in range).
LayerData make_layer(Rows rows, std::vector<std::pair<std::size_t, std::size_t>> slices, Z den);

}  // namespace polyregions
