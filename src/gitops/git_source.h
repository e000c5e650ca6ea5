#pragma once
// The GitOps controller's source of files: what a ref points to on the remote (`git ls-remote`,
// nothing fetched), a shallow fetch of one commit into a bare repository cached per URL, and the
// files of a folder of that commit read from the object store (no work tree).
//
// CliGitSource runs the user's `git` (their credential helpers, SSH config, insteadOf rules and
// proxies apply, as in workspace/). A GitRepository's own credentials reach git only through the
// environment and 0600 temporary files removed after the call: never on a command line, never in
// the cache's config.

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "util/result.h"
#include "util/subprocess.h"

namespace fusion::gitops {

/// From the GitRepository's secretRef; all empty: anonymous (the user's own git setup applies).
struct GitAuth {
  std::string username{};  ///< HTTPS basic; "git" when only a password (a token) is given
  std::string password{};  ///< HTTPS basic password or token
  std::string ssh_private_key{};
  std::string known_hosts{};  ///< with a key, the only hosts trusted (StrictHostKeyChecking=yes)
};

class GitSource {
 public:
  virtual ~GitSource() = default;
  /// The commit `ref` ("refs/heads/main", "refs/tags/v1.2") points to on the remote; an
  /// annotated tag is peeled to its commit. Cheap: fetches nothing.
  virtual Result<std::string> resolve(const std::string& url, const std::string& ref,
                                      const GitAuth& auth) = 0;
  /// Makes `commit` readable by read_tree(): a shallow (depth 1) fetch into the bare repository
  /// kept for `url` in the cache, shared by every GitRepository of that URL; nothing is fetched
  /// when the cache has the commit already. `ref` is what resolve() was asked: it is fetched by
  /// name and must still point to `commit`; when `ref` is empty the commit is fetched by its id
  /// (which the server must allow).
  virtual Status fetch(const std::string& url, const std::string& ref, const std::string& commit,
                       const GitAuth& auth) = 0;
  /// The files under `path` ("." or "deploy/prod") of `commit`'s tree, keyed by their path
  /// relative to `path` ("app/deployment.yaml"), with their bytes. Symbolic links and submodules
  /// are left out. An error when `path` is not a folder of that commit or the commit was not
  /// fetched.
  virtual Result<std::map<std::string, std::string>> read_tree(const std::string& url,
                                                               const std::string& commit,
                                                               const std::string& path) = 0;
};

/// The name of `url`'s bare repository in the cache: 32 hex digits of the URL's SHA-256.
std::string cache_key(std::string_view url);

/// The user's `git` through a ProcessRunner. Each call (all the processes it runs) is bounded by
/// `timeout`. Safe to call from several threads: calls for one URL take that URL's lock (fetches
/// one at a time, reads together), calls for different URLs run in parallel.
class CliGitSource : public GitSource {
 public:
  CliGitSource(ProcessRunner& runner, std::filesystem::path cache_dir,
               std::chrono::milliseconds timeout);
  ~CliGitSource() override;

  Result<std::string> resolve(const std::string& url, const std::string& ref,
                              const GitAuth& auth) override;
  Status fetch(const std::string& url, const std::string& ref, const std::string& commit,
               const GitAuth& auth) override;
  Result<std::map<std::string, std::string>> read_tree(const std::string& url,
                                                       const std::string& commit,
                                                       const std::string& path) override;

 private:
  struct Call;

  Result<Call> start_call(const GitAuth& auth) const;
  /// `git args…`, with GIT_DIR=`git_dir` unless empty, in the time the call has left.
  ProcessResult git(const Call& call, const std::filesystem::path& git_dir,
                    std::vector<std::string> args) const;
  ProcessResult run(const Call& call, const std::filesystem::path& git_dir,
                    std::vector<std::string> argv) const;
  std::string failure(const ProcessResult& result, std::string_view what) const;
  std::shared_mutex& lock_for(const std::string& key);
  Status ensure_repository(const Call& call, const std::filesystem::path& repo);
  bool has_commit(const Call& call, const std::filesystem::path& repo,
                  const std::string& commit) const;
  Status fetch_into(const Call& call, const std::filesystem::path& repo, const std::string& url,
                    const std::string& ref, const std::string& commit);
  Result<std::map<std::string, std::string>> read_blobs(const Call& call,
                                                        const std::filesystem::path& repo,
                                                        std::string_view listing) const;

  ProcessRunner& runner_;
  std::filesystem::path cache_dir_;
  std::chrono::milliseconds timeout_;
  std::mutex locks_mutex_;
  std::map<std::string, std::unique_ptr<std::shared_mutex>> locks_;  ///< by cache_key
};

}  // namespace fusion::gitops
