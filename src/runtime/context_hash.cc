#include "runtime/context_hash.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <sstream>
#include <vector>

#include "runtime/dockerignore.h"
#include "util/file.h"

namespace fusion {

namespace fs = std::filesystem;

namespace {

std::string hex128(XXH128_hash_t h) { return fmt::format("{:016x}{:016x}", h.high64, h.low64); }

/// Streams a file through XXH3-128 without holding it in memory.
Result<std::string> hash_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{path + ": " + std::strerror(errno)};
  XXH3_state_t* state = XXH3_createState();
  XXH3_128bits_reset(state);
  std::vector<char> buffer(1 << 16);
  ssize_t n;
  while ((n = ::read(fd, buffer.data(), buffer.size())) > 0) {
    XXH3_128bits_update(state, buffer.data(), static_cast<size_t>(n));
  }
  int read_errno = errno;
  ::close(fd);
  std::string digest = hex128(XXH3_128bits_digest(state));
  XXH3_freeState(state);
  if (n < 0) return Error{path + ": " + std::strerror(read_errno)};
  return digest;
}

class Digest {
 public:
  Digest() : state_(XXH3_createState()) { XXH3_128bits_reset(state_); }
  ~Digest() { XXH3_freeState(state_); }
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;

  /// Each field ends in a NUL, so ("ab","c") and ("a","bc") differ.
  void field(std::string_view text) {
    XXH3_128bits_update(state_, text.data(), text.size());
    XXH3_128bits_update(state_, "", 1);
  }
  std::string hex() const { return hex128(XXH3_128bits_digest(state_)); }

 private:
  XXH3_state_t* state_;
};

struct Walk {
  const fs::path& root;
  const DockerIgnore& ignore;
  StatCache& cache;
  Digest& digest;
  int64_t racy_after_ns;  ///< files modified after this may change again within one tick
  std::map<std::string, StatCache::Entry> seen;
  ContextDigest result;
};

/// Like git's "racy" index entries: file times are coarse (ext4 takes them from a clock tick),
/// so a file written just before or during the walk could change again with the same size and
/// time. Such files are hashed but not cached, and read again next time.
constexpr int64_t kRacyWindowNs = 2'000'000'000;

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status visit_file(Walk& w, const std::string& rel, const fs::path& full, const struct stat& st) {
  std::string mode = fmt::format("{:o}", st.st_mode & 0177777);
  w.digest.field(rel);
  w.digest.field(mode);
  ++w.result.files;
  if (S_ISLNK(st.st_mode)) {
    std::error_code ec;
    fs::path target = fs::read_symlink(full, ec);
    w.digest.field(ec ? "" : target.string());
    return ok_status();
  }
  StatCache::Entry entry{
      static_cast<uint64_t>(st.st_size),
      static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
      static_cast<uint64_t>(st.st_ino),
      {}};
  const StatCache::Entry* cached = w.cache.find(full.string());
  if (cached && cached->size == entry.size && cached->mtime_ns == entry.mtime_ns &&
      cached->inode == entry.inode) {
    entry.content_hash = cached->content_hash;
  } else {
    auto hashed = hash_file(full.string());
    if (!hashed) return Error{hashed.error()};
    entry.content_hash = std::move(hashed).value();
    ++w.result.files_read;
  }
  w.digest.field(entry.content_hash);
  if (entry.mtime_ns < w.racy_after_ns) w.seen[full.string()] = std::move(entry);
  return ok_status();
}

/// Depth-first in name order, so the digest does not depend on the order readdir returns.
Status walk(Walk& w, const fs::path& dir, const std::string& rel_dir) {
  std::error_code ec;
  std::vector<std::string> names;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    names.push_back(e.path().filename().string());
  }
  if (ec) return Error{fmt::format("{}: {}", dir.string(), ec.message())};
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    std::string rel = rel_dir.empty() ? name : rel_dir + "/" + name;
    fs::path full = dir / name;
    struct stat st {};
    if (::lstat(full.c_str(), &st) != 0) return Error{full.string() + ": " + std::strerror(errno)};
    bool excluded = w.ignore.excluded(rel);
    if (S_ISDIR(st.st_mode)) {
      // An excluded folder may still hold re-included files when there are `!` rules.
      if (excluded && !w.ignore.has_exceptions()) continue;
      if (!excluded) {
        w.digest.field(rel + "/");
        w.digest.field(fmt::format("{:o}", st.st_mode & 07777));
      }
      if (Status ok = walk(w, full, rel); !ok) return ok;
      continue;
    }
    if (excluded || !(S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))) continue;
    if (Status ok = visit_file(w, rel, full, st); !ok) return ok;
  }
  return ok_status();
}

}  // namespace

StatCache StatCache::load(const fs::path& file) {
  StatCache cache;
  auto text = read_file(file);
  if (!text) return cache;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    Entry e;
    std::string path;
    if (!(fields >> e.size >> e.mtime_ns >> e.inode >> e.content_hash)) continue;
    fields.get();  // the space before the path, which may hold spaces itself
    std::getline(fields, path);
    if (path.empty() || e.content_hash.size() != 32) continue;
    cache.entries_[path] = std::move(e);
  }
  return cache;
}

Status StatCache::save(const fs::path& file) const {
  std::string out;
  for (const auto& [path, e] : entries_) {
    if (path.find('\n') != std::string::npos) continue;  // never cached: read every time
    out += fmt::format("{} {} {} {} {}\n", e.size, e.mtime_ns, e.inode, e.content_hash, path);
  }
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  return write_file_atomically(file, out);
}

const StatCache::Entry* StatCache::find(const std::string& path) const {
  auto it = entries_.find(path);
  return it == entries_.end() ? nullptr : &it->second;
}

Result<ContextDigest> hash_build_context(const BuildInput& input, StatCache& cache) {
  std::error_code ec;
  if (!fs::is_directory(input.context, ec)) {
    return Error{input.context.string() + ": the build context is not a folder"};
  }
  auto ignore_text = read_file(input.context / ".dockerignore");
  DockerIgnore ignore = DockerIgnore::parse(ignore_text ? *ignore_text : "");
  Digest digest;
  Walk w{input.context, ignore, cache, digest, now_ns() - kRacyWindowNs, {}, {}};
  if (Status ok = walk(w, input.context, ""); !ok) return Error{ok.error()};
  // The Dockerfile counts even when .dockerignore leaves it out of the context.
  fs::path dockerfile =
      input.dockerfile.is_absolute() ? input.dockerfile : input.context / input.dockerfile;
  auto dockerfile_hash = hash_file(dockerfile.string());
  if (!dockerfile_hash) return Error{dockerfile_hash.error()};
  digest.field("#dockerfile");
  digest.field(*dockerfile_hash);
  digest.field("#target");
  digest.field(input.target);
  for (const auto& [name, value] : input.args) {
    digest.field("#arg");
    digest.field(name);
    digest.field(value);
  }
  cache.retain(w.seen);
  w.result.digest = digest.hex();
  return w.result;
}

}  // namespace fusion
