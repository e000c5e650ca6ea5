#include "gitops/sync_worker.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <utility>

#include "gitops/apply_order.h"
#include "gitops/ownership.h"
#include "kube/apply_batch.h"
#include "util/strings.h"

namespace fusion {
namespace gitops {
namespace {

constexpr size_t kMaxDriftLines = 10;

std::string short_commit(const std::string& commit) { return commit.substr(0, 12); }

Backoff::Options with_interval(Backoff::Options options, Duration interval) {
  options.interval = interval;
  return options;
}

/// `first` and the entries of `second` that `first` lacks, in apply order.
std::vector<InventoryEntry> merge_inventory(std::vector<InventoryEntry> first,
                                            const std::vector<InventoryEntry>& second) {
  for (const InventoryEntry& entry : second) {
    bool known = std::any_of(first.begin(), first.end(), [&](const InventoryEntry& e) {
      return same_object(e.ref, entry.ref);
    });
    if (!known) first.push_back(entry);
  }
  std::stable_sort(first.begin(), first.end(),
                   [](const InventoryEntry& a, const InventoryEntry& b) {
                     return applies_before(a.ref, b.ref);
                   });
  return first;
}

/// The first object rendered twice, described.
std::optional<std::string> duplicate_object(const std::vector<InventoryEntry>& entries) {
  std::set<ObjectRef> seen;
  for (const InventoryEntry& entry : entries) {
    ObjectRef identity{entry.ref.group(), entry.ref.kind, entry.ref.namespace_, entry.ref.name};
    if (!seen.insert(identity).second) return entry.ref.describe();
  }
  return std::nullopt;
}

std::string drift_lines(const std::vector<std::string>& drifted) {
  std::vector<std::string> shown(drifted.begin(),
                                 drifted.begin() + std::min(drifted.size(), kMaxDriftLines));
  std::string text = join(shown, "; ");
  if (drifted.size() > shown.size())
    text += fmt::format("; and {} more", drifted.size() - shown.size());
  return text;
}

}  // namespace

SyncWorker::SyncWorker(GitRepositorySpec spec, GitRepositoryStatus status,
                       SyncWorkerOptions options)
    : spec_(std::move(spec)),
      status_(std::move(status)),
      written_(status_),
      options_(std::move(options)),
      backoff_(with_interval(options_.backoff, spec_.interval), options_.random),
      status_backoff_(options_.backoff, options_.random) {}

Action SyncWorker::step(TimePoint now) {
  if (in_flight_ != Stage::kNone) return WaitUntil{TimePoint::max()};
  bool due = now >= next_poll_ || sync_requested_ || spec_changed_ || waiting_for_dependencies_;
  if (!next_ && due) start_cycle(now);
  if (status_ != written_ && now >= status_retry_at_) {
    sending_ = status_;
    return emit(WriteStatus{status_});
  }
  if (next_) {
    Action action = std::move(*next_);
    next_.reset();
    return emit(std::move(action));
  }
  TimePoint wake = next_poll_;
  if (status_ != written_) wake = std::min(wake, status_retry_at_);
  return WaitUntil{wake};
}

/// Action i of the variant is answered in stage i + 1.
Action SyncWorker::emit(Action action) {
  in_flight_ = static_cast<Stage>(action.index() + 1);
  return action;
}

bool SyncWorker::take_result(Stage stage) {
  if (in_flight_ != stage) return false;  // not what was asked for: ignored
  in_flight_ = Stage::kNone;
  return true;
}

void SyncWorker::start_cycle(TimePoint now) {
  if (spec_.suspend) {
    report_suspended();
    next_poll_ = TimePoint::max();
    return;
  }
  if (!dependencies_ready(now)) return;
  force_sync_ = sync_requested_ || spec_changed_ || spec_.generation != status_.observed_generation;
  sync_requested_ = false;
  spec_changed_ = false;
  next_poll_ = TimePoint::max();  // set again when the cycle ends
  if (spec_.ref.kind == GitRef::Kind::kCommit) {
    on_commit(spec_.ref.name);
  } else {
    next_ = LsRemote{spec_.url, spec_.ref.remote_ref()};
  }
}

void SyncWorker::report_suspended() {
  status_.set_condition(kReconcilingCondition, "False", "Suspended",
                        "spec.suspend is true: nothing is fetched, applied, pruned or corrected "
                        "until it is false",
                        now_text());
}

bool SyncWorker::dependencies_ready(TimePoint now) {
  std::vector<std::string> waiting;
  for (const GitRepositoryDependency& dependency : spec_.depends_on) {
    if (options_.dependency_synced && !options_.dependency_synced(dependency)) {
      waiting.push_back(dependency.namespace_ + "/" + dependency.name);
    }
  }
  waiting_for_dependencies_ = !waiting.empty();
  if (waiting.empty()) return true;
  std::string message =
      fmt::format("waiting for GitRepository {} to be Synced", quoted_list(waiting));
  status_.set_condition(kReadyCondition, "False", "DependencyNotReady", message, now_text());
  status_.set_condition(kReconcilingCondition, "True", "DependencyNotReady", message, now_text());
  next_poll_ = now + options_.dependency_recheck;
  return false;
}

void SyncWorker::on_commit(const std::string& commit) {
  commit_ = commit;
  if (!force_sync_ && commit == status_.last_synced_commit) {
    next_ = CheckDrift{commit, spec_.path, spec_.target_namespace, spec_.drift};
    return;
  }
  begin_sync();
  next_ = Fetch{spec_.url, commit};
}

bool SyncWorker::abandon_if_spec_changed(TimePoint now) {
  if (!spec_changed_) return false;
  next_.reset();
  next_poll_ = now;  // spec_changed_ stays set: the next cycle syncs
  return true;
}

void SyncWorker::on_ls_remote(Result<std::string> commit, TimePoint now) {
  if (!take_result(Stage::kLsRemote) || abandon_if_spec_changed(now)) return;
  if (!commit) {
    return fail(now, "SourceFailed",
                fmt::format("looking up {} in {} failed: {}", spec_.ref.describe(), spec_.url,
                            commit.error()));
  }
  on_commit(*commit);
}

void SyncWorker::on_fetched(Status result, TimePoint now) {
  if (!take_result(Stage::kFetch) || abandon_if_spec_changed(now)) return;
  if (!result) {
    return fail(now, "FetchFailed",
                fmt::format("fetching commit {} from {} failed: {}", short_commit(commit_),
                            spec_.url, result.error()));
  }
  next_ = Render{commit_, spec_.path, spec_.target_namespace};
}

void SyncWorker::on_rendered(Result<std::vector<nlohmann::json>> objects, TimePoint now) {
  if (!take_result(Stage::kRender) || abandon_if_spec_changed(now)) return;
  if (!objects) {
    return fail(now, "RenderFailed",
                fmt::format("rendering {} of commit {} failed: {}; nothing was applied or pruned",
                            spec_.path, short_commit(commit_), objects.error()));
  }
  plan_apply(std::move(objects).value(), now);
}

void SyncWorker::plan_apply(std::vector<nlohmann::json> objects, TimePoint now) {
  for (nlohmann::json& object : objects) add_owner_labels(object, spec_.namespace_, spec_.name);
  sort_for_apply(objects);
  rendered_.clear();
  for (const nlohmann::json& object : objects) {
    rendered_.push_back({object_ref_of(object), object_digest(object)});
  }
  if (auto duplicate = duplicate_object(rendered_)) {
    return fail(
        now, "RenderFailed",
        fmt::format("rendering {} of commit {} gave {} twice; nothing was applied or pruned",
                    spec_.path, short_commit(commit_), *duplicate));
  }
  if (objects.empty()) return after_apply(now);
  next_ = Apply{std::move(objects)};
}

void SyncWorker::on_applied(Status result, TimePoint now) {
  if (!take_result(Stage::kApply)) return;
  if (!result) {
    // Some objects may exist now: they join the inventory (digest unknown), so a later prune
    // can remove them; the owner label check keeps that safe.
    std::vector<InventoryEntry> attempted;
    for (const InventoryEntry& entry : rendered_) attempted.push_back({entry.ref, ""});
    status_.inventory = merge_inventory(status_.inventory, attempted);
    return fail(now, "ApplyFailed",
                fmt::format("applying commit {} failed: {}; nothing was pruned",
                            short_commit(commit_), result.error()));
  }
  after_apply(now);
}

PruneInput SyncWorker::prune_input() const {
  PruneInput input;
  input.inventory = status_.inventory;
  for (const InventoryEntry& entry : rendered_) input.rendered.push_back(entry.ref);
  input.owner = owner_label_value(spec_.namespace_, spec_.name);
  input.prune = spec_.prune;
  input.allow_mass_prune = spec_.allow_mass_prune;
  input.max_prune_percent = spec_.max_prune_percent;
  return input;
}

void SyncWorker::after_apply(TimePoint now) {
  PruneInput input = prune_input();
  PrunePlan plan = plan_prune(input);  // without live owners: only the refusal counts here
  if (plan.refusal) {
    status_.inventory = merge_inventory(rendered_, status_.inventory);
    return stall(now, "PruneRefused", *plan.refusal);
  }
  std::vector<ObjectRef> candidates;
  if (spec_.prune) candidates = prune_candidates(input.inventory, input.rendered);
  if (candidates.empty()) return succeed(now, "");
  next_ = ReadOwners{std::move(candidates)};
}

void SyncWorker::on_owners_read(Result<std::map<ObjectRef, OwnerLabel>> owners, TimePoint now) {
  if (!take_result(Stage::kReadOwners)) return;
  if (!owners) {
    status_.inventory = merge_inventory(rendered_, status_.inventory);
    return fail(
        now, "PruneFailed",
        fmt::format("reading the objects to prune failed: {}; nothing was pruned", owners.error()));
  }
  PruneInput input = prune_input();
  input.live_owners = std::move(owners).value();
  PrunePlan plan = plan_prune(input);
  std::vector<std::string> kept;
  for (const auto& [ref, why] : plan.not_ours) kept.push_back(ref.describe() + " " + why);
  prune_detail_ = kept.empty() ? "" : "not pruned, not this repository's: " + join(kept, ", ");
  to_delete_ = std::move(plan.to_delete);
  if (to_delete_.empty()) return succeed(now, prune_detail_);
  next_ = Prune{to_delete_};
}

void SyncWorker::on_pruned(Status result, TimePoint now) {
  if (!take_result(Stage::kPrune)) return;
  if (!result) {
    std::vector<InventoryEntry> remaining;
    for (const InventoryEntry& entry : status_.inventory) {
      for (const ObjectRef& ref : to_delete_) {
        if (same_object(ref, entry.ref)) remaining.push_back(entry);
      }
    }
    status_.inventory = merge_inventory(rendered_, remaining);
    return fail(now, "PruneFailed",
                fmt::format("deleting {} objects no longer in git failed: {}", to_delete_.size(),
                            result.error()));
  }
  std::string detail = fmt::format("pruned {}", to_delete_.size());
  if (!prune_detail_.empty()) detail += "; " + prune_detail_;
  succeed(now, detail);
}

void SyncWorker::on_drift_checked(Result<DriftReport> report, TimePoint now) {
  if (!take_result(Stage::kDrift) || abandon_if_spec_changed(now)) return;
  if (!report) {
    return fail(now, "DriftCheckFailed",
                fmt::format("checking commit {} for drift failed: {}", short_commit(commit_),
                            report.error()));
  }
  backoff_.reset();
  next_poll_ = now + spec_.interval;
  status_.phase = SyncPhase::kSynced;
  status_.last_error.clear();
  const std::vector<std::string>& drifted = report->drifted;
  if (drifted.empty()) {
    const Condition* ready = status_.condition(kReadyCondition);
    if (!ready || ready->status != "True" || ready->reason != "Synced") {
      mark_ready("Synced", synced_message(""));
    }
  } else if (spec_.drift == DriftMode::kCorrect) {
    mark_ready("DriftCorrected",
               "put back what was changed in the cluster: " + drift_lines(drifted));
  } else {
    std::string message =
        "the cluster differs from git (spec.drift is warn, so nothing was "
        "changed): " +
        drift_lines(drifted);
    status_.set_condition(kReadyCondition, "False", "DriftDetected", message, now_text());
    status_.set_condition(kReconcilingCondition, "False", "DriftDetected", "", now_text());
    status_.set_condition(kStalledCondition, "False", "DriftDetected", "", now_text());
  }
}

void SyncWorker::on_status_written(Status result, TimePoint now) {
  if (!take_result(Stage::kWriteStatus)) return;
  if (result) {
    written_ = std::move(sending_);
    status_backoff_.reset();
  } else {
    status_retry_at_ = now + status_backoff_.next_delay();
  }
}

void SyncWorker::update_spec(GitRepositorySpec spec) {
  if (spec == spec_) return;
  spec_ = std::move(spec);
  spec_changed_ = true;
  backoff_.set_interval(spec_.interval);
  // A decided but not yet started step before the apply belongs to the old spec.
  if (next_ &&
      (std::holds_alternative<LsRemote>(*next_) || std::holds_alternative<Fetch>(*next_) ||
       std::holds_alternative<Render>(*next_) || std::holds_alternative<CheckDrift>(*next_))) {
    next_.reset();
  }
}

void SyncWorker::begin_sync() {
  bool retrying = status_.phase == SyncPhase::kFailed;
  status_.phase = SyncPhase::kSyncing;
  status_.last_attempted_commit = commit_;
  std::string message = "syncing " + source_text();
  // While a failure is retried Ready stays False with the error.
  if (!retrying)
    status_.set_condition(kReadyCondition, "Unknown", "Progressing", message, now_text());
  status_.set_condition(kReconcilingCondition, "True", "Progressing", message, now_text());
  status_.set_condition(kStalledCondition, "False", "Progressing", "", now_text());
}

void SyncWorker::succeed(TimePoint now, const std::string& detail) {
  status_.inventory = std::move(rendered_);
  status_.phase = SyncPhase::kSynced;
  status_.last_synced_commit = commit_;
  status_.last_sync_time = now_text();
  status_.observed_generation = spec_.generation;
  status_.last_error.clear();
  mark_ready("Synced", synced_message(detail));
  end_cycle();
  backoff_.reset();
  next_poll_ = now + spec_.interval;
}

void SyncWorker::fail(TimePoint now, std::string_view reason, const std::string& message) {
  Millis delay = backoff_.next_delay();
  status_.phase = SyncPhase::kFailed;
  status_.last_error = message;
  status_.set_condition(kReadyCondition, "False", reason, message, now_text());
  status_.set_condition(kReconcilingCondition, "True", reason,
                        fmt::format("retrying in {}", format_duration(delay)), now_text());
  status_.set_condition(kStalledCondition, "False", reason, "", now_text());
  end_cycle();
  next_poll_ = now + delay;
}

void SyncWorker::stall(TimePoint now, std::string_view reason, const std::string& message) {
  status_.phase = SyncPhase::kFailed;
  status_.last_error = message;
  status_.set_condition(kReadyCondition, "False", reason, message, now_text());
  status_.set_condition(kReconcilingCondition, "False", reason, "", now_text());
  status_.set_condition(kStalledCondition, "True", reason, message, now_text());
  end_cycle();
  backoff_.reset();
  next_poll_ = now + spec_.interval;  // a person must act; looking again each interval is enough
}

void SyncWorker::mark_ready(std::string_view reason, const std::string& message) {
  status_.set_condition(kReadyCondition, "True", reason, message, now_text());
  status_.set_condition(kReconcilingCondition, "False", reason, "", now_text());
  status_.set_condition(kStalledCondition, "False", reason, "", now_text());
}

void SyncWorker::end_cycle() {
  next_.reset();
  rendered_.clear();
  to_delete_.clear();
  prune_detail_.clear();
}

std::string SyncWorker::source_text() const {
  if (spec_.ref.kind == GitRef::Kind::kCommit) return spec_.ref.describe();
  return spec_.ref.describe() + " at " + short_commit(commit_);
}

std::string SyncWorker::synced_message(const std::string& detail) const {
  std::string message =
      fmt::format("{} objects applied from {}", status_.inventory.size(), source_text());
  return detail.empty() ? message : message + "; " + detail;
}

std::string SyncWorker::now_text() const {
  if (options_.timestamp) return options_.timestamp();
  return format_rfc3339(std::chrono::system_clock::now());
}

}  // namespace gitops
}  // namespace fusion
