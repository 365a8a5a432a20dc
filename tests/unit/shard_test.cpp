// matrix/shard.h: --shard I/N, parsed and sliced.
#include "matrix/shard.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

namespace hm {
namespace {

TEST(Shard, ParsesIOverN) {
    auto s = parse_shard("2/3");
    ASSERT_TRUE(s) << s.error().message();
    EXPECT_EQ(*s, (Shard{.index = 2, .count = 3}));
    EXPECT_EQ(s->text(), "2/3");
    EXPECT_TRUE(parse_shard("1/1"));
}

struct BadShard {
    const char* text;
    const char* says;
};

TEST(Shard, BadSpecsAreErrorsThatSayWhy) {
    for (const BadShard& b : {
             BadShard{.text = "3/2", .says = "between 1 and N (2)"},
             BadShard{.text = "0/2", .says = "between 1 and N (2)"},
             BadShard{.text = "1/0", .says = "N must be at least 1"},
             BadShard{.text = "a/b", .says = "is not I/N"},
             BadShard{.text = "1", .says = "is not I/N"},
             BadShard{.text = "", .says = "is not I/N"},
             BadShard{.text = "-1/2", .says = "is not I/N"},
             BadShard{.text = "1/2/3", .says = "is not I/N"},
             BadShard{.text = "1 /2", .says = "is not I/N"},
         }) {
        auto s = parse_shard(b.text);
        ASSERT_FALSE(s) << b.text;
        EXPECT_NE(s.error().what.find(b.says), std::string::npos) << s.error().what;
        EXPECT_NE(s.error().what.find(std::string("'") + b.text + "'"), std::string::npos)
            << s.error().what;
        EXPECT_EQ(s.error().what.find('\n'), std::string::npos);
    }
}

TEST(Shard, ItemKGoesToShardKModNPlusOne) {
    std::vector<int> items(7);
    std::iota(items.begin(), items.end(), 0);
    EXPECT_EQ(take_shard(items, {.index = 1, .count = 3}), (std::vector<int>{0, 3, 6}));
    EXPECT_EQ(take_shard(items, {.index = 2, .count = 3}), (std::vector<int>{1, 4}));
    EXPECT_EQ(take_shard(items, {.index = 3, .count = 3}), (std::vector<int>{2, 5}));
    EXPECT_EQ(take_shard(items, {.index = 1, .count = 1}), items);
}

TEST(Shard, ShardsAreDisjointAndCoverEveryItemInOrder) {
    std::vector<int> items(23);
    std::iota(items.begin(), items.end(), 100);
    for (std::uint32_t n = 1; n <= 6; ++n) {
        std::vector<int> all;
        for (std::uint32_t i = 1; i <= n; ++i)
            for (int x : take_shard(items, {.index = i, .count = n}))
                all.push_back(x);
        std::ranges::sort(all);
        EXPECT_EQ(all, items) << "N = " << n;
    }
}

TEST(Shard, MoreShardsThanItemsLeavesSomeEmpty) {
    std::vector<int> items{1, 2};
    EXPECT_TRUE(take_shard(items, {.index = 3, .count = 4}).empty());
}

} // namespace
} // namespace hm
