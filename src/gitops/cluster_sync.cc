#include "gitops/cluster_sync.h"

#include <fmt/format.h>

#include <thread>

#include "gitops/ownership.h"
#include "kube/readiness.h"

namespace fusion {
namespace gitops {
namespace {

using Json = nlohmann::json;

constexpr std::chrono::milliseconds kEstablishedPoll{200};

bool first_stage(const Json& object) {
  std::string kind = object.value("kind", "");
  return kind == "CustomResourceDefinition" || kind == "Namespace";
}

std::string describe_errors(const BatchApplyResult& r) {
  std::vector<std::string> lines;
  for (const auto& [ref, error] : r.errors)
    lines.push_back(ref.describe() + ": " + error.describe());
  return fmt::format("{}", fmt::join(lines, "; "));
}

/// Waits until every CRD among `objects` is Established, or `timeout`.
Status wait_established(KubeClient& client, const std::vector<Json>& objects,
                        std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (const Json& o : objects) {
    if (o.value("kind", "") != "CustomResourceDefinition") continue;
    ObjectRef ref = object_ref_of(o);
    for (;;) {
      auto live = client.get(ref);
      if (live && compute_readiness(*live).status == ReadinessStatus::kCurrent) break;
      if (std::chrono::steady_clock::now() >= deadline) {
        return Error{fmt::format("{} was not Established within {} s", ref.describe(),
                                 timeout.count() / 1000)};
      }
      std::this_thread::sleep_for(kEstablishedPoll);
    }
  }
  return ok_status();
}

/// An object as compared for drift: the server's bookkeeping dropped.
Json comparable(Json object) {
  object.erase("status");
  if (object.contains("metadata")) {
    Json& m = object["metadata"];
    for (const char* key : {"managedFields", "resourceVersion", "generation", "creationTimestamp",
                            "uid", "selfLink"}) {
      m.erase(key);
    }
  }
  return object;
}

}  // namespace

Status apply_staged(KubeClient& client, const std::vector<Json>& objects,
                    std::chrono::milliseconds timeout, AppliedState* state) {
  std::vector<Json> first, rest;
  for (const Json& o : objects) (first_stage(o) ? first : rest).push_back(o);
  ApplyOptions options{.field_manager = kGitOpsFieldManager, .force = true};
  for (const std::vector<Json>* stage : {&first, &rest}) {
    if (stage->empty()) continue;
    BatchApplyResult r = apply_all(client, *stage, options, 8, state);
    if (!r.errors.empty()) return Error{describe_errors(r)};
    if (stage == &first) {
      if (Status s = wait_established(client, first, timeout); !s) return s;
    }
  }
  return ok_status();
}

Result<std::map<ObjectRef, OwnerLabel>> read_owners(KubeClient& client,
                                                    const std::vector<ObjectRef>& refs) {
  std::map<ObjectRef, OwnerLabel> owners;
  for (const ObjectRef& ref : refs) {
    auto live = client.get(ref);
    if (!live) {
      if (live.error().not_found()) continue;
      return Error{fmt::format("reading {}: {}", ref.describe(), live.error().describe())};
    }
    const Json& labels = (*live)["metadata"].value("labels", Json::object());
    auto owner = labels.find(std::string(kOwnerLabel));
    OwnerLabel value;
    if (owner != labels.end()) value = owner->get<std::string>();
    owners[ref] = value;
  }
  return owners;
}

Status delete_objects(KubeClient& client, const std::vector<ObjectRef>& refs) {
  for (const ObjectRef& ref : refs) {
    auto removed = client.remove(ref);
    if (!removed && !removed.error().not_found()) {
      return Error{fmt::format("deleting {}: {}", ref.describe(), removed.error().describe())};
    }
  }
  return ok_status();
}

std::vector<std::string> drifted_fields(const Json& live, const Json& dry_run) {
  std::vector<std::string> fields;
  for (const Json& op : Json::diff(comparable(live), comparable(dry_run))) {
    fields.push_back(op.value("path", ""));
  }
  return fields;
}

Result<DriftReport> check_drift(KubeClient& client, const std::vector<Json>& objects,
                                DriftMode mode) {
  DriftReport report;
  std::vector<Json> to_correct;
  ApplyOptions dry{.field_manager = kGitOpsFieldManager, .force = true, .dry_run = true};
  for (const Json& object : objects) {
    ObjectRef ref = object_ref_of(object);
    auto live = client.get(ref);
    if (!live && !live.error().not_found()) {
      return Error{fmt::format("reading {}: {}", ref.describe(), live.error().describe())};
    }
    std::vector<std::string> fields;
    if (!live) {
      fields = {"(deleted)"};
    } else {
      auto would_be = client.apply(object, dry);
      if (!would_be) {
        return Error{
            fmt::format("dry-run apply of {}: {}", ref.describe(), would_be.error().describe())};
      }
      fields = drifted_fields(*live, *would_be);
    }
    if (fields.empty()) continue;
    for (const std::string& f : fields) report.drifted.push_back(ref.describe() + ": " + f);
    to_correct.push_back(object);
  }
  if (mode == DriftMode::kCorrect && !to_correct.empty()) {
    BatchApplyResult r =
        apply_all(client, to_correct, {.field_manager = kGitOpsFieldManager, .force = true});
    if (!r.errors.empty()) return Error{"correcting drift: " + describe_errors(r)};
  }
  return report;
}

Status write_status(KubeClient& client, const GitRepositorySpec& spec,
                    const GitRepositoryStatus& status) {
  Json object = {{"apiVersion", std::string(kGitRepositoryApiVersion)},
                 {"kind", std::string(kGitRepositoryKind)},
                 {"metadata", {{"name", spec.name}, {"namespace", spec.namespace_}}},
                 {"status", status_to_json(status)}};
  auto r = client.apply_status(object, {.field_manager = kGitOpsFieldManager, .force = true});
  if (!r) return Error{"writing the status: " + r.error().describe()};
  return ok_status();
}

}  // namespace gitops
}  // namespace fusion
