#pragma once
// Workspaces (monorepos) as their roots declare them: npm/yarn/bun `workspaces` in package.json,
// pnpm-workspace.yaml, uv's [tool.uv.workspace], Cargo's [workspace], go.work, Maven's
// <modules> and Gradle's settings `include`. A member builds from its root, with the root's
// lockfile; detection asks which root, if any, lists a folder.

#include <optional>
#include <string>
#include <vector>

#include "detect/detection.h"
#include "detect/source_snapshot.h"

namespace fusion {

struct WorkspaceRoot {
  std::string folder;                ///< "" for the snapshot's root
  std::string kind;                  ///< npm, yarn, pnpm, bun, uv, cargo, go, maven, gradle
  Evidence evidence;                 ///< the file (and line) that lists the members
  std::vector<std::string> members;  ///< patterns relative to `folder`: "apps/*", "crates/api"
};

/// The workspace `folder` is the root of, of the kinds whose manifest is in it (the first found
/// in the order above).
std::optional<WorkspaceRoot> workspace_at(const SourceSnapshot& snapshot,
                                          const std::string& folder);

/// The nearest workspace above `folder` that lists it as a member.
std::optional<WorkspaceMembership> membership_of(const SourceSnapshot& snapshot,
                                                 const std::string& folder);

/// Whether `path` matches a member pattern: '*' is one path segment (or part of one), '**' any
/// number of segments; a leading "./" and a trailing "/" are ignored.
bool member_pattern_matches(std::string_view pattern, std::string_view path);

}  // namespace fusion
