#include "runtime/log_follow.h"

#include <algorithm>

namespace fusion {

EngineLogReader::EngineLogReader(ContainerRuntime& runtime,
                                 const std::vector<ContainerInfo>& containers)
    : runtime_(runtime) {
  for (const ContainerInfo& c : containers) {
    auto service = c.labels.find(kServiceLabel);
    if (service != c.labels.end()) sources_.push_back({service->second, c.name});
  }
  std::sort(sources_.begin(), sources_.end());
}

Result<std::string> EngineLogReader::read(const LogSource& source, size_t tail,
                                          const std::string& since) {
  return runtime_.logs(source.id, tail, true, since);
}

LogFollower::LogFollower(LogReader& reader, std::vector<std::string> services, size_t tail)
    : reader_(reader), services_(std::move(services)), tail_(tail) {
  for (const std::string& s : services_) width_ = std::max(width_, s.size());
}

bool LogFollower::wanted(const LogSource& source) const {
  return services_.empty() ||
         std::find(services_.begin(), services_.end(), source.service) != services_.end();
}

Result<std::vector<std::string>> LogFollower::poll(bool color) {
  auto sources = reader_.sources();
  if (!sources) return Error{sources.error()};
  std::vector<LogSource> chosen;
  for (const LogSource& s : *sources) {
    if (wanted(s)) chosen.push_back(s);
  }
  std::sort(chosen.begin(), chosen.end());
  std::vector<LogLine> lines;
  for (size_t i = 0; i < chosen.size(); ++i) {
    const LogSource& source = chosen[i];
    bool known = seen_.contains(source);
    LogLine& last = seen_[source];
    colour_.emplace(source.service, colour_.size());
    width_ = std::max(width_, source.service.size());
    auto text = reader_.read(source, first_ ? tail_ : 0, known ? last.timestamp : "");
    if (!text) continue;
    for (LogLine& line : parse_log_lines(i, *text, last.time_ns)) {
      if (line.time_ns > last.time_ns) last = line;
      lines.push_back(std::move(line));
    }
  }
  first_ = false;
  sort_by_time(lines);
  std::vector<std::string> shown;
  for (const LogLine& l : lines) {
    const std::string& service = chosen[l.source].service;
    shown.push_back(format_log_line(service, width_, colour_.at(service), l.text, color));
  }
  return shown;
}

}  // namespace fusion
