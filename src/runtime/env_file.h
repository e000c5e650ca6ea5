#pragma once
// Env files as compose reads them (`env_file:`): NAME=value lines, `#` comments, an optional
// `export `, matching quotes around the value removed; a NAME alone takes the variable from
// where fusion runs (nothing when unset).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fusion {

struct EnvFileEntry {
  std::string name;
  std::optional<std::string> value;  ///< nullopt: NAME alone
};

std::vector<EnvFileEntry> parse_env_file(std::string_view text);

}  // namespace fusion
