#pragma once
// Which services an operation takes part in, and why each one does.
//
// With no services named: every service without profiles, plus those with a profile in
// `profiles`. With services named: those services (whatever their profiles, as compose does)
// and, transitively, everything they depend on, each once.

#include <string>
#include <vector>

#include "registry/model.h"
#include "util/result.h"

namespace fusion {

struct Selection {
  std::vector<bool> included;       ///< by index into Registry::services
  std::vector<std::string> reason;  ///< why, for --explain; empty when not included
  size_t count() const;
};

Result<Selection> select_services(const Registry& registry,
                                  const std::vector<std::string>& requested,
                                  const std::vector<std::string>& profiles);

}  // namespace fusion
