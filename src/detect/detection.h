#pragma once
// What detection found in one project folder, each fact with the evidence that said so. A fact
// without a file in its evidence is a convention ("uvicorn's default port"), and says which.

#include <optional>
#include <string>
#include <vector>

#include "detect/packages.h"
#include "detect/source_snapshot.h"

namespace fusion {

struct Fact {
  std::string value;  ///< empty: unknown, and `evidence.text` says why
  Evidence evidence;

  bool known() const { return !value.empty(); }
};

/// What an existing Dockerfile declares; fusion respects it rather than writing its own.
struct DockerfileFacts {
  std::string path;
  std::vector<Fact> exposed_ports;
  std::optional<Fact> healthcheck;  ///< the HEALTHCHECK command
  std::optional<Fact> command;      ///< the last CMD or ENTRYPOINT, as one line
  /// fusion wrote it (`generate dockerfile`): its HEALTHCHECK and CMD echo fusion.yaml and an
  /// earlier detection, so they are not the sources' word.
  bool by_fusion = false;
};

/// A backing service the project's dependencies suggest ("postgres" from psycopg).
struct BackingNeed {
  std::string service;  ///< a key of backing_services()
  Evidence evidence;
};

/// One project type a folder's files could be, and how strongly they say so.
struct Candidate {
  std::string type;
  int score = 0;
  std::vector<std::string> reasons;  ///< "+4 framework django (pyproject.toml:6)"
};

/// The workspace (monorepo) a project is a member of: its root builds and locks the members.
struct WorkspaceMembership {
  std::string root;   ///< the root's folder, relative to the scanned root ("" for it)
  std::string kind;   ///< npm, yarn, pnpm, bun, uv, cargo, go, maven, gradle
  Evidence evidence;  ///< where the root lists its members
  /// The member's folder relative to the root ("apps/api").
  std::string member;
};

struct Detection {
  std::string folder;  ///< relative to the scanned root; "" for the root itself
  std::string name;    ///< a service name made from the folder's name
  /// The scaffolding type: python, node, node-static, go, rust, java-maven, java-gradle, ruby,
  /// dotnet, static; empty when nothing was recognised.
  std::string type;
  Fact language, framework, package_manager, port, start_command;
  Fact runtime_version;  ///< "3.12", "20", "1.22", "17", "8.0": picks the base image's tag
  Fact health_path;      ///< an http path the sources serve for health ("/healthz"), if any
  std::vector<Fact> build_steps;  ///< [0] installs the dependencies, the rest build
  std::optional<Fact> prune;      ///< drops development dependencies after the build
  /// Debian packages native dependencies need: to build ("libssl-dev"), and to run ("libssl3").
  std::vector<Fact> build_packages, runtime_packages;
  bool runtime_minimum = false;  ///< runtime_version is a lower bound (">=3.11", go.mod's go)
  std::optional<WorkspaceMembership> workspace;
  /// A workspace member that serves nothing (a shared package): reported, never a service.
  bool library = false;
  /// Every type the folder could be, best first: [0] is `type`, and its reasons say why.
  std::vector<Candidate> candidates;
  std::string served_folder;      ///< static types: the folder of files served ("dist", ".")
  std::vector<Package> packages;  ///< what the manifests declare
  std::vector<BackingNeed> needs;
  std::optional<DockerfileFacts> dockerfile;
  std::vector<std::string> notes;  ///< what could not be decided, and why

  bool recognised() const { return !type.empty(); }
  /// Recognised and runs as a service of its own (not a workspace's library).
  bool service() const { return recognised() && !library; }
  /// The port as a number; 0 when unknown.
  uint16_t port_number() const;
};

/// A convention, not read from a file: {value, {"", 0, why}}.
Fact convention(std::string value, std::string why);
Fact found(std::string value, Evidence evidence);
Fact unknown(std::string why);

}  // namespace fusion
