#pragma once
// `fusion logs [-f]` on either target: the stack's log sources (containers on the engine, pods'
// containers on a cluster, which come and go as pods are replaced) read with timestamps, merged
// in time order, each line shown once behind its service's aligned, coloured prefix.

#include <map>
#include <string>
#include <vector>

#include "runtime/container_runtime.h"
#include "runtime/log_lines.h"
#include "util/result.h"

namespace fusion {

/// One stream of lines: `id` is what the reader reads (a container, "pod/container").
struct LogSource {
  std::string service;
  std::string id;
  auto operator<=>(const LogSource&) const = default;
};

class LogReader {
 public:
  virtual ~LogReader() = default;
  /// The sources there are now.
  virtual Result<std::vector<LogSource>> sources() = 0;
  /// Lines each starting with an RFC 3339 time and a space: the last `tail` (0: all), only
  /// those since `since` (RFC 3339, "" for all).
  virtual Result<std::string> read(const LogSource& source, size_t tail,
                                   const std::string& since) = 0;
};

/// The containers of the stack on an engine, as listed once.
class EngineLogReader : public LogReader {
 public:
  EngineLogReader(ContainerRuntime& runtime, const std::vector<ContainerInfo>& containers);
  Result<std::vector<LogSource>> sources() override { return sources_; }
  Result<std::string> read(const LogSource& source, size_t tail, const std::string& since) override;

 private:
  ContainerRuntime& runtime_;
  std::vector<LogSource> sources_;
};

class LogFollower {
 public:
  /// Only the sources of `services` (empty: all); the first poll shows the last `tail` lines of
  /// each source (0: all), a later poll everything new, a source first seen then included.
  LogFollower(LogReader& reader, std::vector<std::string> services, size_t tail);

  /// The lines no poll has shown yet, merged in time order and formatted. An error only when
  /// the sources cannot be listed; a source that cannot be read (gone meanwhile) is skipped.
  Result<std::vector<std::string>> poll(bool color);
  /// Sources seen so far.
  size_t source_count() const { return seen_.size(); }

 private:
  bool wanted(const LogSource& source) const;

  LogReader& reader_;
  std::vector<std::string> services_;
  size_t tail_;
  bool first_ = true;
  std::map<LogSource, LogLine> seen_;     ///< the newest line shown of each: where to go on from
  std::map<std::string, size_t> colour_;  ///< per service, in the order first seen
  size_t width_ = 0;
};

}  // namespace fusion
