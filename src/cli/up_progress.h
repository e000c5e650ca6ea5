#pragma once
// How `up` shows progress: each service's milestones as lines ("[3/7] db  healthy  3.2s") with,
// on a terminal, a status line of what is in flight rewritten in place; `--json`: one event
// object per line for tools.

#include <map>
#include <mutex>
#include <ostream>

#include "cli/line_printer.h"
#include "runtime/up_scheduler.h"

namespace fusion {

class UpProgress : public UpObserver {
 public:
  /// `tasks` must outlive this; barriers are not shown.
  UpProgress(LinePrinter& printer, const std::vector<UpTask>& tasks, TimePoint begin);
  void on_state(size_t task, TaskState state, const std::string& detail, TimePoint when) override;

 private:
  void show_in_flight(TimePoint now);

  std::mutex mutex_;
  LinePrinter& printer_;
  const std::vector<UpTask>& tasks_;
  TimePoint begin_;
  size_t total_ = 0, done_ = 0, width_ = 0;
  std::map<size_t, std::pair<TaskState, TimePoint>> in_flight_;
};

class JsonUpEvents : public UpObserver {
 public:
  JsonUpEvents(std::ostream& out, const std::vector<UpTask>& tasks, TimePoint begin)
      : out_(out), tasks_(tasks), begin_(begin) {}
  void on_state(size_t task, TaskState state, const std::string& detail, TimePoint when) override;

 private:
  std::mutex mutex_;
  std::ostream& out_;
  const std::vector<UpTask>& tasks_;
  TimePoint begin_;
};

}  // namespace fusion
