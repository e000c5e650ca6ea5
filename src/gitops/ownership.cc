#include "gitops/ownership.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "gitops/git_repository.h"
#include "util/base64.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace fusion {
namespace {

constexpr size_t kMaxLabelValue = 63;

std::string digest_bytes(std::string_view text) {
  Sha256Digest digest = sha256(text);
  return std::string(digest.begin(), digest.end());
}

/// RFC 4648 base64url without padding, as Go's base64.RawURLEncoding.
std::string base64url(std::string_view bytes) {
  std::string text = base64_encode(bytes);
  std::replace(text.begin(), text.end(), '+', '-');
  std::replace(text.begin(), text.end(), '/', '_');
  text.erase(std::find(text.begin(), text.end(), '='), text.end());
  return text;
}

}  // namespace

std::string applyset_id(std::string_view name, std::string_view namespace_, std::string_view kind,
                        std::string_view group) {
  std::string parent = fmt::format("{}.{}.{}.{}", name, namespace_, kind, group);
  return fmt::format("applyset-{}-v1", base64url(digest_bytes(parent)));
}

std::string git_repository_applyset_id(std::string_view namespace_, std::string_view name) {
  return applyset_id(name, namespace_, kGitRepositoryKind, kGitOpsGroup);
}

std::string owner_label_value(std::string_view namespace_, std::string_view name) {
  std::string value = fmt::format("{}.{}", namespace_, name);
  if (value.size() <= kMaxLabelValue) return value;
  std::string hex = to_hex(sha256(value));
  std::string head = value.substr(0, kMaxLabelValue - 17);
  return fmt::format("{}-{}", head, hex.substr(0, 16));
}

void add_owner_labels(nlohmann::json& object, std::string_view namespace_, std::string_view name) {
  nlohmann::json& labels = object["metadata"]["labels"];
  if (!labels.is_object()) labels = nlohmann::json::object();
  labels[std::string(kApplySetPartOfLabel)] = git_repository_applyset_id(namespace_, name);
  labels[std::string(kOwnerLabel)] = owner_label_value(namespace_, name);
}

std::string applyset_group_kinds(const std::vector<InventoryEntry>& inventory) {
  std::set<std::string> kinds;
  for (const InventoryEntry& entry : inventory) {
    std::string group = entry.ref.group();
    kinds.insert(group.empty() ? entry.ref.kind : entry.ref.kind + "." + group);
  }
  return join(std::vector<std::string>(kinds.begin(), kinds.end()), ",");
}

}  // namespace fusion
