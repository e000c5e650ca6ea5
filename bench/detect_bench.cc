// `fusion detect` over 100 generated projects: each one a tree of its own (manifests, a
// lockfile, a dozen source files) copied from the fixtures under tests/fixtures/detect and
// tests/fixtures/detect-causes, read from disk (load_snapshot) and detected (detect_projects),
// as the command does. Goal (issue 17): under 1 s for the 100. Prints the figure; exit 1 over
// the goal.
//
//   build/bench/detect_bench [projects]

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "detect/detect.h"
#include "util/file.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

/// Project `i`: a copy of one fixture, with extra sources so the trees are not all tiny.
void make_project(const fs::path& dir, const std::vector<fs::path>& fixtures, int i) {
  const fs::path& fixture = fixtures[static_cast<size_t>(i) % fixtures.size()];
  fs::create_directories(dir);
  fs::copy(fixture, dir, fs::copy_options::recursive);
  fs::create_directories(dir / "lib");
  for (int f = 0; f < 12; ++f) {
    (void)fusion::write_file_atomically(
        dir / "lib" / fmt::format("util{:02}.py", f),
        fmt::format("# helper {}\nimport os\n\ndef value():\n    return os.environ.get('X{}')\n", f,
                    f));
  }
}

}  // namespace

int main(int argc, char** argv) {
  int count = argc > 1 ? std::atoi(argv[1]) : 100;
  std::vector<fs::path> fixtures;
  for (const char* set : {"detect", "detect-causes"}) {
    for (const auto& entry :
         fs::directory_iterator(fs::path(FUSION_SOURCE_DIR) / "tests/fixtures" / set)) {
      if (entry.is_directory()) fixtures.push_back(entry.path());
    }
  }
  std::sort(fixtures.begin(), fixtures.end());
  fs::path root = fs::temp_directory_path() / fmt::format("fusion-detect-bench-{}", getpid());
  for (int i = 0; i < count; ++i) make_project(root / fmt::format("p{:03}", i), fixtures, i);

  auto start = Clock::now();
  size_t services = 0;
  for (int i = 0; i < count; ++i) {
    auto snapshot = fusion::load_snapshot(root / fmt::format("p{:03}", i));
    if (!snapshot) {
      fmt::print(stderr, "detect_bench: {}\n", snapshot.error());
      return 1;
    }
    for (const fusion::Detection& d : fusion::detect_projects(*snapshot, "p")) {
      services += d.service();
    }
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  fs::remove_all(root);
  fmt::print(
      "detect: {} projects ({} fixtures, {} services found) in {:.0f} ms ({:.2f} ms each); "
      "goal < 1000 ms\n",
      count, fixtures.size(), services, seconds * 1000, seconds * 1000 / count);
  return seconds < 1.0 ? 0 : 1;
}
