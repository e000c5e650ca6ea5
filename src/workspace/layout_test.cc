#include "workspace/layout.h"

#include <gtest/gtest.h>

namespace fusion {
namespace {

TEST(ParseRemote, EveryUrlForm) {
  auto check = [](const char* url, const char* host, const char* path) {
    auto r = parse_remote(url);
    ASSERT_TRUE(r.ok()) << url;
    EXPECT_EQ(r->host, host) << url;
    EXPECT_EQ(r->path, path) << url;
  };
  check("https://github.com/acme/core-api.git", "github.com", "acme/core-api");
  check("https://user@git.example.com:8443/group/sub/api", "git.example.com", "group/sub/api");
  check("ssh://git@github.com:22/acme/web.git", "github.com", "acme/web");
  check("git@github.com:acme/web.git", "github.com", "acme/web");
  check("git://127.0.0.1:9418/repos/x.git", "127.0.0.1", "repos/x");
  check("file:///srv/git/api.git", "local", "srv/git/api");
  check("/srv/git/api.git/", "local", "srv/git/api");
  EXPECT_FALSE(parse_remote("https://host-only").ok());
}

TEST(RepoPath, FlatAndGopath) {
  EXPECT_EQ(repo_path("/ws", WorkspaceLayout::kFlat, "api", "git@github.com:acme/api.git").value(),
            "/ws/api");
  EXPECT_EQ(
      repo_path("/ws", WorkspaceLayout::kGopath, "api", "git@github.com:acme/core-api.git").value(),
      "/ws/src/github.com/acme/core-api");
}

TEST(RepoPath, NeverOutsideTheRoot) {
  EXPECT_EQ(
      repo_path("/ws", WorkspaceLayout::kGopath, "x", "https://evil.example/../../etc.git").error(),
      "repo 'x' would be placed outside the workspace (src/evil.example/../../etc)");
  EXPECT_FALSE(repo_path("/ws", WorkspaceLayout::kFlat, "..", "u").ok());
}

TEST(ParseLayout, KnownNames) {
  EXPECT_EQ(parse_layout("gopath").value(), WorkspaceLayout::kGopath);
  EXPECT_EQ(parse_layout("tree").error(), "unknown workspace layout 'tree'; use flat or gopath");
}

}  // namespace
}  // namespace fusion
