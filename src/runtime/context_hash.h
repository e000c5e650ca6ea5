#pragma once
// The identity of an image built from local source: a digest of everything the build reads, so
// an unchanged tree is not rebuilt and a changed one always is. It covers every file of the
// context that .dockerignore lets through (path, type, permissions, content; a symbolic link's
// target), the Dockerfile's content wherever it is, the build target and the build args.
//
// Reading a large tree on every `up` would be slow, so contents are hashed through a stat cache:
// a file whose size, modification time and inode match the cache is not read again (like git's
// index). The cache is a plain text file; a lost or corrupt one only costs a full read.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "util/result.h"

namespace fusion {

struct BuildInput {
  std::filesystem::path context{};     ///< the folder sent to the build
  std::filesystem::path dockerfile{};  ///< absolute, or relative to `context`
  std::string target{};
  std::map<std::string, std::string> args{};
};

/// path → what the file was when its content was last hashed.
class StatCache {
 public:
  struct Entry {
    uint64_t size = 0;
    int64_t mtime_ns = 0;
    uint64_t inode = 0;
    std::string content_hash;  ///< 32 hex digits (XXH3-128)
  };

  /// An empty cache when the file is missing or unreadable; bad lines are skipped.
  static StatCache load(const std::filesystem::path& file);
  Status save(const std::filesystem::path& file) const;

  const Entry* find(const std::string& path) const;
  void put(const std::string& path, Entry entry) { entries_[path] = std::move(entry); }
  /// Keeps only the paths seen by the last hash, so deleted files do not linger.
  void retain(const std::map<std::string, Entry>& seen) { entries_ = seen; }
  size_t size() const { return entries_.size(); }

 private:
  std::map<std::string, Entry> entries_;
};

struct ContextDigest {
  std::string digest;     ///< 32 hex digits
  size_t files = 0;       ///< files in the context (after .dockerignore)
  size_t files_read = 0;  ///< of those, read because the cache did not vouch for them
};

/// Walks the context and returns its digest; `cache` keys are absolute paths and is updated.
Result<ContextDigest> hash_build_context(const BuildInput& input, StatCache& cache);

}  // namespace fusion
