#include "gitops/repository_status.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>

namespace fusion {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 4> kPhaseNames = {"Pending", "Syncing", "Synced", "Failed"};

void put(json& out, const char* key, const std::string& value) {
  if (!value.empty()) out[key] = value;
}

json entry_to_json(const InventoryEntry& entry) {
  json out = json::object();
  put(out, "apiVersion", entry.ref.api_version);
  put(out, "kind", entry.ref.kind);
  put(out, "namespace", entry.ref.namespace_);
  put(out, "name", entry.ref.name);
  put(out, "digest", entry.digest);
  return out;
}

json condition_to_json(const Condition& condition) {
  return {{"type", condition.type},
          {"status", condition.status},
          {"reason", condition.reason},
          {"message", condition.message},
          {"lastTransitionTime", condition.last_transition_time}};
}

/// Reads JSON fields into a status, remembering the first one of the wrong type.
class StatusReader {
 public:
  void string(const json& object, const char* key, std::string& out) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return;
    if (it->is_string()) {
      out = it->get<std::string>();
    } else {
      fail(key, "a string");
    }
  }
  const json* array(const json& object, const char* key) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return nullptr;
    if (!it->is_array()) fail(key, "a list");
    return it->is_array() ? &*it : nullptr;
  }
  void fail(std::string_view key, std::string_view expected) {
    if (error_.empty()) error_ = fmt::format("status.{}: expected {}", key, expected);
  }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

void read_conditions(const json& in, StatusReader& reader, GitRepositoryStatus& status) {
  const json* conditions = reader.array(in, "conditions");
  for (size_t i = 0; conditions && i < conditions->size(); ++i) {
    const json& item = (*conditions)[i];
    if (!item.is_object()) {
      reader.fail(fmt::format("conditions[{}]", i), "a map");
      continue;
    }
    Condition& condition = status.conditions.emplace_back();
    reader.string(item, "type", condition.type);
    reader.string(item, "status", condition.status);
    reader.string(item, "reason", condition.reason);
    reader.string(item, "message", condition.message);
    reader.string(item, "lastTransitionTime", condition.last_transition_time);
  }
}

void read_inventory(const json& in, StatusReader& reader, GitRepositoryStatus& status) {
  const json* inventory = reader.array(in, "inventory");
  for (size_t i = 0; inventory && i < inventory->size(); ++i) {
    const json& item = (*inventory)[i];
    if (!item.is_object()) {
      reader.fail(fmt::format("inventory[{}]", i), "a map");
      continue;
    }
    InventoryEntry& entry = status.inventory.emplace_back();
    reader.string(item, "apiVersion", entry.ref.api_version);
    reader.string(item, "kind", entry.ref.kind);
    reader.string(item, "namespace", entry.ref.namespace_);
    reader.string(item, "name", entry.ref.name);
    reader.string(item, "digest", entry.digest);
  }
}

}  // namespace

std::string_view to_string(SyncPhase phase) { return kPhaseNames[static_cast<size_t>(phase)]; }

std::optional<SyncPhase> parse_sync_phase(std::string_view text) {
  for (size_t i = 0; i < kPhaseNames.size(); ++i) {
    if (kPhaseNames[i] == text) return static_cast<SyncPhase>(i);
  }
  return std::nullopt;
}

const Condition* GitRepositoryStatus::condition(std::string_view type) const {
  for (const Condition& c : conditions) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

void GitRepositoryStatus::set_condition(std::string_view type, std::string_view status,
                                        std::string_view reason, std::string_view message,
                                        std::string_view now) {
  Condition* existing = nullptr;
  for (Condition& c : conditions) {
    if (c.type == type) existing = &c;
  }
  if (!existing) {
    existing = &conditions.emplace_back();
    existing->type = type;
  }
  if (existing->status != status || existing->last_transition_time.empty()) {
    existing->last_transition_time = now;
  }
  existing->status = status;
  existing->reason = reason;
  existing->message = message;
}

json status_to_json(const GitRepositoryStatus& status) {
  json out = {{"phase", to_string(status.phase)},
              {"observedGeneration", status.observed_generation}};
  put(out, "lastSyncedCommit", status.last_synced_commit);
  put(out, "lastAttemptedCommit", status.last_attempted_commit);
  put(out, "lastSyncTime", status.last_sync_time);
  put(out, "lastError", status.last_error);
  if (!status.conditions.empty()) {
    for (const Condition& c : status.conditions) out["conditions"].push_back(condition_to_json(c));
  }
  if (!status.inventory.empty()) {
    for (const InventoryEntry& e : status.inventory) out["inventory"].push_back(entry_to_json(e));
  }
  return out;
}

Result<GitRepositoryStatus> status_from_json(const json& in) {
  if (!in.is_object()) return Error{"status: expected a map"};
  GitRepositoryStatus status;
  StatusReader reader;
  std::string phase;
  reader.string(in, "phase", phase);
  if (!phase.empty()) {
    auto parsed = parse_sync_phase(phase);
    if (!parsed) return Error{fmt::format("status.phase: unknown phase \"{}\"", phase)};
    status.phase = *parsed;
  }
  reader.string(in, "lastSyncedCommit", status.last_synced_commit);
  reader.string(in, "lastAttemptedCommit", status.last_attempted_commit);
  reader.string(in, "lastSyncTime", status.last_sync_time);
  reader.string(in, "lastError", status.last_error);
  auto generation = in.find("observedGeneration");
  if (generation != in.end() && !generation->is_null()) {
    if (generation->is_number_integer()) {
      status.observed_generation = generation->get<int64_t>();
    } else {
      reader.fail("observedGeneration", "a whole number");
    }
  }
  read_conditions(in, reader, status);
  read_inventory(in, reader, status);
  if (!reader.error().empty()) return Error{reader.error()};
  return status;
}

std::string format_rfc3339(std::chrono::system_clock::time_point time) {
  auto seconds = std::chrono::floor<std::chrono::seconds>(time);
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(seconds)));
}

}  // namespace fusion
