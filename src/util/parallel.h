#pragma once
// Running independent work items on a bounded number of threads.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace fusion {

/// Calls `work(i)` for every i in [0, count) on at most `jobs` threads; returns when all are
/// done. Items are taken in order, so with jobs == 1 it is a plain loop.
inline void parallel_for_each(size_t count, size_t jobs, const std::function<void(size_t)>& work) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < count; i = next++) work(i);
  };
  size_t threads = std::clamp<size_t>(jobs, 1, std::max<size_t>(count, 1));
  std::vector<std::jthread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
}

/// A sensible default for -j: twice the cores (git work waits on I/O and the network), at least 4.
inline size_t default_jobs() {
  return std::max<size_t>(4, 2 * std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace fusion
