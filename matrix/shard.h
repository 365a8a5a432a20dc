#pragma once
// `run --shard I/N`: the I-th of N disjoint slices of the planned cells, so N machines (or CI
// jobs) can share a matrix and `hookmatrix merge` can join their results. Item k (0-based, in
// plan order) goes to shard (k mod N) + 1: deterministic, and the slices differ in size by at
// most one, with every hook spread over the shards rather than one shard per hook.
#include "core/error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hm {

struct Shard {
    std::uint32_t index = 1; // 1-based
    std::uint32_t count = 1;
    std::string text() const; // "2/3"
    bool operator==(const Shard&) const = default;
};

// "I/N" with 1 <= I <= N; "3/2", "0/2", "a/b", "1/0" and "1" are Errors that say why.
Result<Shard> parse_shard(std::string_view text);

template <class T> std::vector<T> take_shard(const std::vector<T>& items, const Shard& shard) {
    std::vector<T> out;
    for (std::size_t k = shard.index - 1; k < items.size(); k += shard.count)
        out.push_back(items[k]);
    return out;
}

} // namespace hm
