#include "graph/dag.h"

#include <gtest/gtest.h>

namespace fusion {
namespace {

TEST(Dag, TopologicalOrderBreaksTiesBySmallestId) {
  Dag dag(5);
  dag.add_edge(3, 1);  // 1 depends on 3
  dag.add_edge(0, 1);
  dag.add_edge(1, 4);
  EXPECT_EQ(dag.topological_order(), (std::vector<NodeId>{0, 2, 3, 1, 4}));
}

TEST(Dag, OrderLeavesOutNodesOnOrBehindACycle) {
  Dag dag(4);
  dag.add_edge(1, 2);
  dag.add_edge(2, 1);
  dag.add_edge(2, 3);
  EXPECT_EQ(dag.topological_order(), (std::vector<NodeId>{0}));
}

TEST(Dag, CyclesListEachLoopOnceFromItsSmallestNode) {
  Dag dag(6);
  // 0 depends on 1, 1 on 2, 2 on 0: edges point from dependency to dependent.
  dag.add_edge(1, 0);
  dag.add_edge(2, 1);
  dag.add_edge(0, 2);
  dag.add_edge(4, 4);  // self loop
  dag.add_edge(3, 5);  // no cycle
  auto cycles = dag.cycles();
  ASSERT_EQ(cycles.size(), 2u);
  EXPECT_EQ(cycles[0], (std::vector<NodeId>{0, 1, 2}));
  EXPECT_EQ(cycles[1], (std::vector<NodeId>{4}));
}

TEST(Dag, CycleIsTheShortestLoopThroughItsStart) {
  Dag dag(4);
  // 0 -> 1 -> 2 -> 3 -> 0 ("depends on"), plus a shortcut 1 -> 0.
  dag.add_edge(1, 0);
  dag.add_edge(2, 1);
  dag.add_edge(3, 2);
  dag.add_edge(0, 3);
  dag.add_edge(0, 1);
  auto cycles = dag.cycles();
  ASSERT_EQ(cycles.size(), 1u);
  EXPECT_EQ(cycles[0], (std::vector<NodeId>{0, 1}));
}

TEST(Dag, LongChainsDoNotOverflowTheStack) {
  const NodeId n = 200'000;
  Dag dag(n);
  for (NodeId i = 1; i < n; ++i) dag.add_edge(i - 1, i);
  dag.add_edge(n - 1, 0);
  auto cycles = dag.cycles();
  ASSERT_EQ(cycles.size(), 1u);
  EXPECT_EQ(cycles[0].size(), n);
}

TEST(Dag, LongestPathsAndHeaviestPath) {
  Dag dag(4);
  dag.add_edge(0, 2);
  dag.add_edge(1, 2);
  dag.add_edge(2, 3);
  std::vector<int64_t> weight = {5, 9, 1, 2};
  auto finish = dag.longest_paths(dag.topological_order(), weight);
  EXPECT_EQ(finish, (std::vector<int64_t>{5, 9, 10, 12}));
  EXPECT_EQ(dag.heaviest_path_to(3, finish), (std::vector<NodeId>{1, 2, 3}));
}

}  // namespace
}  // namespace fusion
