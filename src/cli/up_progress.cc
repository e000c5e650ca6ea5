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

void UpProgress::show_in_flight(TimePoint now) {
  std::vector<std::string> parts;
  for (const auto& [task, state] : in_flight_) {
    parts.push_back(fmt::format("{} {} {:.1f}s", tasks_[task].name, task_state_name(state.first),
                                seconds(state.second, now)));
  }
  printer_.status(fmt::format("[{}/{}] {}", done_, total_, fmt::join(parts, " · ")));
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
