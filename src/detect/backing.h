#pragma once
// Backing services a project's client libraries point to, and how fusion runs each: a released
// image with a pinned tag and a health check that proves it is ready, not just started.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fusion {

struct BackingService {
  std::string_view name;    ///< "postgres": the service name a draft registry uses
  std::string_view image;   ///< pinned
  std::string_view port;    ///< the port clients connect to
  std::string_view health;  ///< a flow-style registry `health` value
  std::string_view env;     ///< flow-style registry `env` value, or empty
  std::string_view volume;  ///< "data:/var/lib/postgresql/data", or empty
  std::string_view url;     ///< what a client's connection URL looks like, for a TODO
};

const std::vector<BackingService>& backing_services();
const BackingService* find_backing_service(std::string_view name);

/// The backing service a package of any ecosystem is a client of; `declaration` is the
/// manifest line (sqlx's features say which database it talks to).
std::optional<std::string_view> backing_for_package(std::string_view package,
                                                    std::string_view declaration);

}  // namespace fusion
