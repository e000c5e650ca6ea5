#include "gitops/git_source.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "util/base64.h"
#include "util/duration.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace fusion::gitops {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

namespace {

/// A 0600 file in the temporary folder with `content`, removed when this goes.
class PrivateFile {
 public:
  PrivateFile() = default;
  PrivateFile(PrivateFile&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  PrivateFile& operator=(PrivateFile&& other) noexcept {
    std::swap(path_, other.path_);
    return *this;
  }
  PrivateFile(const PrivateFile&) = delete;
  PrivateFile& operator=(const PrivateFile&) = delete;
  ~PrivateFile() {
    std::error_code ec;
    if (!path_.empty()) fs::remove(path_, ec);
  }

  static Result<PrivateFile> create(std::string_view content) {
    std::string pattern = (fs::temp_directory_path() / "fusion-git-XXXXXX").string();
    int fd = mkstemp(pattern.data());  // 0600
    if (fd < 0) return Error{fmt::format("cannot create {}: {}", pattern, std::strerror(errno))};
    PrivateFile file;
    file.path_ = pattern;
    size_t done = 0;
    while (done < content.size()) {
      ssize_t n = ::write(fd, content.data() + done, content.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        std::string why = std::strerror(errno);
        ::close(fd);
        return Error{fmt::format("cannot write {}: {}", pattern, why)};
      }
      done += static_cast<size_t>(n);
    }
    ::close(fd);
    return file;
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

/// `text` in single quotes for the shell that runs GIT_SSH_COMMAND.
std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool has_control_characters(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

/// The URL as shown in messages: a password in it replaced by "***".
std::string shown(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  size_t at = url.find('@', scheme + 3);
  size_t slash = url.find('/', scheme + 3);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) {
    return std::string(url);
  }
  size_t colon = url.find(':', scheme + 3);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return fmt::format("{}:***{}", url.substr(0, colon), url.substr(at));
}

std::optional<std::string> check_url(std::string_view url) {
  if (url.empty()) return "no git URL given";
  if (url.starts_with('-')) {
    return fmt::format("git URL '{}' starts with '-': refusing to pass it to git", url);
  }
  if (has_control_characters(url)) return std::string("the git URL has control characters");
  return std::nullopt;
}

/// Why `ref` cannot be asked of git, as git check-ref-format would refuse it (and never an
/// option, a refspec's ':' or '+', or a pattern).
std::optional<std::string> check_ref(std::string_view ref) {
  if (ref.starts_with('-')) {
    return fmt::format("ref '{}' starts with '-': refusing to pass it to git", ref);
  }
  bool bad = ref.empty() || ref.starts_with('+') || ref.starts_with('/') || ref.ends_with('/') ||
             ref.ends_with('.') || ref.ends_with(".lock") || has_control_characters(ref) ||
             ref.find("..") != std::string_view::npos || ref.find("@{") != std::string_view::npos ||
             ref.find("//") != std::string_view::npos || ref.find("/.") != std::string_view::npos ||
             ref.find_first_of(" ~^:?*[\\") != std::string_view::npos;
  if (bad) return fmt::format("'{}' is not a valid git ref", ref);
  return std::nullopt;
}

bool is_object_id(std::string_view id) {
  if (id.size() != 40 && id.size() != 64) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::optional<std::string> check_commit(std::string_view commit) {
  if (is_object_id(commit)) return std::nullopt;
  return fmt::format("'{}' is not a full commit id (40 or 64 lower-case hex digits)", commit);
}

/// `path` as a tree path: "" for the root; an error when it leaves the repository.
Result<std::string> tree_path(std::string_view path) {
  if (path.starts_with('/')) {
    return Error{fmt::format("path '{}' must be relative to the repository's root", path)};
  }
  std::vector<std::string> parts;
  for (std::string_view part : split(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") return Error{fmt::format("path '{}' leaves the repository", path)};
    parts.emplace_back(part);
  }
  if (has_control_characters(path)) return Error{"the path has control characters"};
  return join(parts, "/");
}

/// "branch 'main'", "tag 'v1.2'" or "ref 'HEAD'".
std::string ref_words(std::string_view ref) {
  if (ref.starts_with("refs/heads/")) return fmt::format("branch '{}'", ref.substr(11));
  if (ref.starts_with("refs/tags/")) return fmt::format("tag '{}'", ref.substr(10));
  return fmt::format("ref '{}'", ref);
}

/// The commit `ref` names in `git ls-remote` output: the peeled line (`ref^{}`, an annotated
/// tag's commit) wins over the ref's own.
std::optional<std::string> commit_in_listing(std::string_view listing, std::string_view ref) {
  std::optional<std::string> direct, peeled;
  const std::string peeled_name = std::string(ref) + "^{}";
  for (std::string_view line : split(listing, '\n')) {
    size_t tab = line.find('\t');
    if (tab == std::string_view::npos) continue;
    std::string_view id = line.substr(0, tab), name = line.substr(tab + 1);
    if (name == ref) direct = std::string(id);
    if (name == peeled_name) peeled = std::string(id);
  }
  return peeled ? peeled : direct;
}

/// Where the cache keeps what `ref` was fetched as.
std::string local_ref(const std::string& ref, const std::string& commit) {
  if (ref.empty()) return "refs/fusion/commits/" + commit;
  return ref.starts_with("refs/") ? ref : "refs/fusion/" + ref;
}

struct TreeEntry {
  std::string id;
  std::string path;
};

/// The blobs of `git ls-tree -r -z --long` output ("<mode> <type> <id> <size>\t<path>\0"),
/// without symbolic links (mode 120000) and submodules (type commit).
std::vector<TreeEntry> blobs_in_listing(std::string_view listing) {
  std::vector<TreeEntry> out;
  for (std::string_view record : split(listing, '\0')) {
    size_t tab = record.find('\t');
    if (tab == std::string_view::npos) continue;
    std::vector<std::string_view> fields = split(record.substr(0, tab), ' ');
    std::erase(fields, std::string_view());
    if (fields.size() < 3 || fields[1] != "blob" || fields[0] == "120000") continue;
    out.push_back({std::string(fields[2]), std::string(record.substr(tab + 1))});
  }
  return out;
}

/// The contents in `git cat-file --batch` output ("<id> blob <size>\n<bytes>\n" each), by id.
Result<std::map<std::string, std::string>> parse_batch(std::string_view out) {
  std::map<std::string, std::string> blobs;
  size_t at = 0;
  while (at < out.size()) {
    size_t eol = out.find('\n', at);
    if (eol == std::string_view::npos) break;
    std::vector<std::string_view> header = split(out.substr(at, eol - at), ' ');
    if (header.size() != 3) {
      return Error{fmt::format("git cat-file --batch: {}", out.substr(at, eol - at))};
    }
    size_t size = std::strtoull(std::string(header[2]).c_str(), nullptr, 10);
    if (eol + 1 + size > out.size()) return Error{"git cat-file --batch: output cut short"};
    blobs[std::string(header[0])] = std::string(out.substr(eol + 1, size));
    at = eol + 1 + size + 1;
  }
  return blobs;
}

}  // namespace

std::string cache_key(std::string_view url) { return to_hex(sha256(url)).substr(0, 32); }

/// One call's environment (credentials included), the files it points to, and its deadline.
struct CliGitSource::Call {
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<PrivateFile> files;
  SteadyClock::time_point deadline;
};

CliGitSource::CliGitSource(ProcessRunner& runner, fs::path cache_dir,
                           std::chrono::milliseconds timeout)
    : runner_(runner), cache_dir_(std::move(cache_dir)), timeout_(timeout) {}

CliGitSource::~CliGitSource() = default;

Result<CliGitSource::Call> CliGitSource::start_call(const GitAuth& auth) const {
  Call call;
  call.deadline = SteadyClock::now() + timeout_;
  call.env = {{"GIT_TERMINAL_PROMPT", "0"}, {"LC_ALL", "C"}};
  if (!auth.username.empty() || !auth.password.empty()) {
    // Appended to the user's own GIT_CONFIG_COUNT entries, if any.
    const char* count = std::getenv("GIT_CONFIG_COUNT");
    int n = count ? std::atoi(count) : 0;
    std::string user = auth.username.empty() ? "git" : auth.username;
    call.env.emplace_back("GIT_CONFIG_COUNT", std::to_string(n + 1));
    call.env.emplace_back(fmt::format("GIT_CONFIG_KEY_{}", n), "http.extraHeader");
    call.env.emplace_back(fmt::format("GIT_CONFIG_VALUE_{}", n),
                          "Authorization: Basic " + base64_encode(user + ":" + auth.password));
  }
  std::string ssh;
  if (!auth.ssh_private_key.empty()) {
    std::string key = auth.ssh_private_key;
    if (!key.ends_with('\n')) key += '\n';  // ssh refuses a key without its last newline
    auto file = PrivateFile::create(key);
    if (!file) return Error{file.error()};
    ssh += " -i " + shell_quote(file->path().string()) + " -o IdentitiesOnly=yes";
    call.files.push_back(std::move(file).value());
  }
  if (!auth.ssh_private_key.empty() || !auth.known_hosts.empty()) {
    auto file = PrivateFile::create(auth.known_hosts);
    if (!file) return Error{file.error()};
    ssh += " -o UserKnownHostsFile=" + shell_quote(file->path().string()) +
           " -o StrictHostKeyChecking=yes";
    call.files.push_back(std::move(file).value());
  }
  if (!ssh.empty()) {
    call.env.emplace_back("GIT_SSH_COMMAND", "ssh" + ssh + " -o BatchMode=yes");
  } else if (std::getenv("GIT_SSH_COMMAND") == nullptr) {
    call.env.emplace_back("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
  }
  return call;
}

ProcessResult CliGitSource::git(const Call& call, const fs::path& git_dir,
                                std::vector<std::string> args) const {
  args.insert(args.begin(), "git");
  return run(call, git_dir, std::move(args));
}

ProcessResult CliGitSource::run(const Call& call, const fs::path& git_dir,
                                std::vector<std::string> argv) const {
  auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(call.deadline - SteadyClock::now());
  if (left.count() <= 0) {
    ProcessResult late;
    late.timed_out = true;
    return late;
  }
  ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.env = call.env;
  if (!git_dir.empty()) spec.env.emplace_back("GIT_DIR", git_dir.string());
  spec.timeout = left;
  return runner_.run(spec);
}

/// "<what>: <why>", where why is git's `fatal:` (or `error:`) line, else its last line.
std::string CliGitSource::failure(const ProcessResult& result, std::string_view what) const {
  if (result.timed_out)
    return fmt::format("{}: timed out after {}", what, format_duration(timeout_));
  if (result.exit_code == -1) return fmt::format("{}: {}", what, result.err);
  std::string why;
  for (std::string_view line : split(result.err, '\n')) {
    if (line.starts_with("fatal: ") || line.starts_with("error: ")) {
      why = std::string(line.substr(line.find(' ') + 1));
      break;
    }
  }
  if (why.empty()) why = result.last_line();
  if (why.empty()) why = fmt::format("exit code {}", result.exit_code);
  return fmt::format("{}: {}", what, why);
}

std::shared_mutex& CliGitSource::lock_for(const std::string& key) {
  std::lock_guard guard(locks_mutex_);
  auto& lock = locks_[key];
  if (!lock) lock = std::make_unique<std::shared_mutex>();
  return *lock;
}

Result<std::string> CliGitSource::resolve(const std::string& url, const std::string& ref,
                                          const GitAuth& auth) {
  if (auto bad = check_url(url)) return Error{*bad};
  if (auto bad = check_ref(ref)) return Error{*bad};
  auto call = start_call(auth);
  if (!call) return Error{call.error()};
  ProcessResult r = git(*call, {}, {"ls-remote", "--", url, ref, ref + "^{}"});
  if (!r.ok()) return Error{failure(r, "git ls-remote " + shown(url))};
  auto commit = commit_in_listing(r.out, ref);
  if (!commit) return Error{fmt::format("{} not found on {}", ref_words(ref), shown(url))};
  return *commit;
}

/// The bare repository at `repo`, made in a folder beside it and renamed into place, so a
/// repository in the cache is always a whole one.
Status CliGitSource::ensure_repository(const Call& call, const fs::path& repo) {
  std::error_code ec;
  if (fs::exists(repo / "HEAD", ec)) return ok_status();
  static std::atomic<unsigned> counter{0};
  fs::path fresh = repo;
  fresh += fmt::format(".new-{}-{}", ::getpid(), counter++);
  fs::create_directories(fresh, ec);
  if (ec) return Error{fmt::format("cannot create {}: {}", fresh.string(), ec.message())};
  ProcessResult r = git(call, fresh, {"init", "--bare", "--quiet"});
  if (!r.ok()) {
    fs::remove_all(fresh, ec);
    return Error{failure(r, "git init --bare " + fresh.string())};
  }
  fs::rename(fresh, repo, ec);
  if (ec) {
    fs::remove_all(fresh, ec);
    if (!fs::exists(repo / "HEAD")) {
      return Error{fmt::format("cannot create the cache repository {}", repo.string())};
    }
  }
  return ok_status();
}

bool CliGitSource::has_commit(const Call& call, const fs::path& repo,
                              const std::string& commit) const {
  return git(call, repo, {"cat-file", "-e", commit + "^{commit}"}).ok();
}

Status CliGitSource::fetch(const std::string& url, const std::string& ref,
                           const std::string& commit, const GitAuth& auth) {
  if (auto bad = check_url(url)) return Error{*bad};
  if (auto bad = check_commit(commit)) return Error{*bad};
  if (!ref.empty()) {
    if (auto bad = check_ref(ref)) return Error{*bad};
  }
  auto call = start_call(auth);
  if (!call) return Error{call.error()};
  fs::path repo = cache_dir_ / cache_key(url);
  std::unique_lock lock(lock_for(cache_key(url)));
  if (Status made = ensure_repository(*call, repo); !made) return made;
  if (has_commit(*call, repo, commit)) return ok_status();
  return fetch_into(*call, repo, url, ref, commit);
}

Status CliGitSource::fetch_into(const Call& call, const fs::path& repo, const std::string& url,
                                const std::string& ref, const std::string& commit) {
  std::string dest = local_ref(ref, commit);
  std::string refspec = "+" + (ref.empty() ? commit : ref) + ":" + dest;
  // gc.autoDetach=false: a repack after the fetch ends inside this call, under this URL's lock.
  ProcessResult r = git(call, repo,
                        {"-c", "gc.autoDetach=false", "fetch", "--quiet", "--no-tags",
                         "--no-write-fetch-head", "--depth=1", "--", url, refspec});
  if (!r.ok()) {
    if (!ref.empty() && r.err.find("couldn't find remote ref") != std::string::npos) {
      return Error{fmt::format("{} not found on {}", ref_words(ref), shown(url))};
    }
    return Error{failure(r, "git fetch " + shown(url))};
  }
  ProcessResult got = git(call, repo, {"rev-parse", "--verify", "--quiet", dest + "^{commit}"});
  std::string fetched = got.out.substr(0, got.out.find('\n'));
  if (fetched == commit) return ok_status();
  if (!got.ok() || fetched.empty()) {
    return Error{fmt::format("git fetch {}: commit {} not found after fetching it", shown(url),
                             commit.substr(0, 12))};
  }
  return Error{fmt::format("{} on {} is now at {}, not {}: it moved since it was resolved",
                           ref_words(ref), shown(url), fetched.substr(0, 12),
                           commit.substr(0, 12))};
}

Result<std::map<std::string, std::string>> CliGitSource::read_tree(const std::string& url,
                                                                   const std::string& commit,
                                                                   const std::string& path) {
  if (auto bad = check_url(url)) return Error{*bad};
  if (auto bad = check_commit(commit)) return Error{*bad};
  auto folder = tree_path(path);
  if (!folder) return Error{folder.error()};
  auto call = start_call({});
  if (!call) return Error{call.error()};
  fs::path repo = cache_dir_ / cache_key(url);
  std::shared_lock lock(lock_for(cache_key(url)));
  std::error_code ec;
  const std::string not_cached = fmt::format("commit {} of {} is not in the cache: fetch it first",
                                             commit.substr(0, 12), shown(url));
  if (!fs::exists(repo / "HEAD", ec)) return Error{not_cached};
  ProcessResult listing =
      git(*call, repo, {"ls-tree", "-r", "-z", "--long", "--full-tree", commit + ":" + *folder});
  if (!listing.ok()) {
    if (!listing.timed_out && !has_commit(*call, repo, commit)) return Error{not_cached};
    if (listing.err.find("not a tree object") != std::string::npos ||
        listing.err.find("Not a valid object name") != std::string::npos) {
      return Error{fmt::format("'{}' is not a folder in commit {} of {}", path,
                               commit.substr(0, 12), shown(url))};
    }
    return Error{failure(listing, "git ls-tree " + commit.substr(0, 12))};
  }
  return read_blobs(*call, repo, listing.out);
}

/// The contents of the blobs listed, by path, through one `git cat-file --batch` whose input is
/// a file (ProcessSpec has no stdin), redirected by `sh`; the file's name is an argument, never
/// part of the script.
Result<std::map<std::string, std::string>> CliGitSource::read_blobs(
    const Call& call, const fs::path& repo, std::string_view listing) const {
  std::vector<TreeEntry> entries = blobs_in_listing(listing);
  std::map<std::string, std::string> files;
  if (entries.empty()) return files;
  std::set<std::string> ids;
  std::string input;
  for (const TreeEntry& e : entries) {
    if (ids.insert(e.id).second) input += e.id + "\n";
  }
  auto list = PrivateFile::create(input);
  if (!list) return Error{list.error()};
  ProcessResult r = run(
      call, repo, {"sh", "-c", "exec git cat-file --batch <\"$1\"", "sh", list->path().string()});
  if (!r.ok()) return Error{failure(r, "git cat-file --batch")};
  auto blobs = parse_batch(r.out);
  if (!blobs) return Error{blobs.error()};
  for (TreeEntry& e : entries) {
    auto blob = blobs->find(e.id);
    if (blob == blobs->end()) return Error{fmt::format("git cat-file: {} missing", e.path)};
    files[std::move(e.path)] = blob->second;
  }
  return files;
}

}  // namespace fusion::gitops
