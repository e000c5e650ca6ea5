#include "workspace/status.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "util/parallel.h"
#include "util/strings.h"
#include "util/table.h"

namespace fusion {

std::vector<RepoStatus> collect_status(Git& git, const std::vector<RepoTarget>& repos,
                                       size_t jobs) {
  std::vector<RepoStatus> out(repos.size());
  parallel_for_each(repos.size(), jobs, [&](size_t i) {
    out[i].repo = repos[i];
    std::error_code ec;
    out[i].cloned = std::filesystem::exists(repos[i].path / ".git", ec);
    if (!out[i].cloned) return;
    auto state = git.inspect(repos[i].path);
    if (state) {
      out[i].state = *state;
    } else {
      out[i].error = state.error();
    }
  });
  return out;
}

namespace {

std::vector<std::string> row(const RepoStatus& s) {
  std::string services = join(s.repo.services, ", ");
  if (!s.cloned) return {s.repo.name, "-", "-", "-", "not cloned: fusion workspace sync", services};
  if (!s.error.empty()) return {s.repo.name, "?", "?", "?", s.error, services};
  const RepoState& st = s.state;
  std::string branch = st.detached() ? "(detached " + st.head + ")" : st.branch;
  std::string ab = st.upstream.empty() ? "no upstream"
                   : st.upstream_gone  ? "upstream gone"
                                       : fmt::format("+{} -{}", st.ahead, st.behind);
  return {s.repo.name,    branch,  ab, st.dirty ? std::to_string(st.dirty) : "clean",
          st.last_commit, services};
}

}  // namespace

std::string render_status(const std::vector<RepoStatus>& statuses) {
  std::vector<std::vector<std::string>> rows = {
      {"REPO", "BRANCH", "AHEAD/BEHIND", "CHANGES", "LAST COMMIT", "SERVICES"}};
  for (const RepoStatus& s : statuses) rows.push_back(row(s));
  return render_table(rows);
}

nlohmann::json status_to_json(const std::vector<RepoStatus>& statuses) {
  nlohmann::json list = nlohmann::json::array();
  for (const RepoStatus& s : statuses) {
    nlohmann::json item = {{"repo", s.repo.name},
                           {"path", s.repo.path.string()},
                           {"cloned", s.cloned},
                           {"services", s.repo.services}};
    if (!s.error.empty()) item["error"] = s.error;
    if (s.cloned && s.error.empty()) {
      const RepoState& st = s.state;
      item.update({{"branch", st.branch},
                   {"detached", st.detached()},
                   {"head", st.head},
                   {"upstream", st.upstream},
                   {"upstream_gone", st.upstream_gone},
                   {"ahead", st.ahead},
                   {"behind", st.behind},
                   {"changes", st.dirty},
                   {"last_commit", st.last_commit}});
    }
    list.push_back(std::move(item));
  }
  return list;
}

}  // namespace fusion
