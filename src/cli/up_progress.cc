#include "cli/up_progress.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace fusion {

namespace {

double seconds(TimePoint from, TimePoint to) {
  return static_cast<double>(std::chrono::duration_cast<Millis>(to - from).count()) / 1000.0;
}

bool is_milestone(TaskState s) {
  return s == TaskState::kBuilding || s == TaskState::kStarting || is_terminal(s);
}

}  // namespace

UpProgress::UpProgress(LinePrinter& printer, const std::vector<UpTask>& tasks, TimePoint begin)
    : printer_(printer), tasks_(tasks), begin_(begin) {
  for (const UpTask& t : tasks) {
    if (t.barrier) continue;
    ++total_;
    width_ = std::max(width_, t.name.size());
  }
}

void UpProgress::on_state(size_t task, TaskState state, const std::string& detail, TimePoint when) {
  std::lock_guard lock(mutex_);
  if (is_terminal(state)) {
    ++done_;
    in_flight_.erase(task);
  } else {
    in_flight_[task] = {state, when};
  }
  if (is_milestone(state)) {
    std::string text =
        fmt::format("[{}/{}] {:<{}}  {:<9} {:5.1f}s", done_, total_, tasks_[task].name, width_,
                    task_state_name(state), seconds(begin_, when));
    bool say_why = state == TaskState::kBlocked || state == TaskState::kCancelled ||
                   (state == TaskState::kFailed && detail.find('\n') == std::string::npos);
    if (say_why && !detail.empty()) text += "  " + detail;
    printer_.line(text);
  }
  show_in_flight(when);
}

/// The block under the finished lines: a count, then each service in flight with its step and
/// how long it has been at it.
void UpProgress::show_in_flight(TimePoint now) {
  constexpr size_t kMaxLines = 10;
  std::vector<std::string> block = {
      fmt::format("[{}/{}] {} in flight", done_, total_, in_flight_.size())};
  for (const auto& [task, state] : in_flight_) {
    if (block.size() == kMaxLines) {
      block.push_back(fmt::format("  … and {} more", in_flight_.size() - (kMaxLines - 1)));
      break;
    }
    block.push_back(fmt::format("  {:<{}}  {:<12} {:5.1f}s", tasks_[task].name, width_,
                                task_state_name(state.first), seconds(state.second, now)));
  }
  printer_.status_block(std::move(block));
}

void JsonUpEvents::on_state(size_t task, TaskState state, const std::string& detail,
                            TimePoint when) {
  nlohmann::json event = {{"time", seconds(begin_, when)},
                          {"service", tasks_[task].name},
                          {"state", task_state_name(state)}};
  if (!detail.empty()) event["detail"] = detail;
  std::lock_guard lock(mutex_);
  out_ << event.dump() << "\n" << std::flush;
}

}  // namespace fusion
