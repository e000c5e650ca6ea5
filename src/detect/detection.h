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
};

/// A backing service the project's dependencies suggest ("postgres" from psycopg).
struct BackingNeed {
  std::string service;  ///< a key of backing_services()
  Evidence evidence;
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
  std::vector<Fact> build_steps;
  std::string served_folder;      ///< static types: the folder of files served ("dist", ".")
  std::vector<Package> packages;  ///< what the manifests declare
  std::vector<BackingNeed> needs;
  std::optional<DockerfileFacts> dockerfile;
  std::vector<std::string> notes;  ///< what could not be decided, and why

  bool recognised() const { return !type.empty(); }
  /// The port as a number; 0 when unknown.
  uint16_t port_number() const;
};

/// A convention, not read from a file: {value, {"", 0, why}}.
Fact convention(std::string value, std::string why);
Fact found(std::string value, Evidence evidence);
Fact unknown(std::string why);

}  // namespace fusion
