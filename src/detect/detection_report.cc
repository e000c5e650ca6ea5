#include "detect/detection_report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace fusion {
namespace {

std::string source_of(const Fact& fact) {
  const Evidence& e = fact.evidence;
  if (!fact.known()) return "unknown: " + e.text;
  if (e.file.empty()) return fmt::format("{}  (convention: {})", fact.value, e.text);
  if (e.text.empty()) return fmt::format("{}  ({})", fact.value, e.where());
  return fmt::format("{}  ({}: {})", fact.value, e.where(), e.text);
}

void row(std::string& out, std::string_view label, const std::string& text) {
  out += fmt::format("  {:<16} {}\n", label, text);
}

std::string headline(const Detection& d) {
  std::string where = d.folder.empty() ? "." : d.folder;
  if (!d.recognised()) return fmt::format("{}: not recognised\n", where);
  if (d.library)
    return fmt::format("{}: library '{}' ({}), not a service\n", where, d.name, d.type);
  std::vector<std::string> parts = {d.type};
  if (d.framework.known()) parts.push_back(d.framework.value);
  if (d.port.known()) parts.push_back("port " + d.port.value);
  return fmt::format("{}: service '{}', {}\n", where, d.name, fmt::join(parts, ", "));
}

nlohmann::ordered_json fact_json(const Fact& fact) {
  nlohmann::ordered_json j;
  j["value"] = fact.known() ? nlohmann::ordered_json(fact.value) : nlohmann::ordered_json();
  if (!fact.evidence.file.empty()) {
    j["file"] = fact.evidence.file;
    if (fact.evidence.line > 0) j["line"] = fact.evidence.line;
    if (!fact.evidence.text.empty()) j["text"] = fact.evidence.text;
  } else {
    j[fact.known() ? "convention" : "why_unknown"] = fact.evidence.text;
  }
  return j;
}

}  // namespace

/// "python (score 8) over node (score 2)"; with `explain`, each candidate's reasons too.
void chosen_rows(std::string& out, const Detection& d, bool explain) {
  if (d.candidates.empty()) return;
  std::vector<std::string> others;
  for (size_t i = 1; i < d.candidates.size(); ++i) {
    others.push_back(fmt::format("{} ({})", d.candidates[i].type, d.candidates[i].score));
  }
  row(out, "chosen",
      fmt::format("{} (score {}){}", d.candidates[0].type, d.candidates[0].score,
                  others.empty() ? "" : " over " + fmt::format("{}", fmt::join(others, ", "))));
  if (!explain) return;
  for (const Candidate& c : d.candidates) {
    row(out, "candidate", fmt::format("{} {}: {}", c.type, c.score, fmt::join(c.reasons, ", ")));
  }
}

std::string render_detections(const std::vector<Detection>& detections, bool explain) {
  std::string out;
  for (const Detection& d : detections) {
    if (!out.empty()) out += "\n";
    out += headline(d);
    if (d.recognised()) {
      row(out, "language", source_of(d.language));
      row(out, "framework", source_of(d.framework));
      row(out, "package manager", source_of(d.package_manager));
      row(out, "runtime version", source_of(d.runtime_version));
      row(out, "port", source_of(d.port));
      row(out, "start", source_of(d.start_command));
      row(out, "health path", source_of(d.health_path));
      for (const Fact& step : d.build_steps) row(out, "build", step.value);
      if (d.prune) row(out, "prune", d.prune->value);
      for (const Fact& p : d.build_packages) row(out, "build package", source_of(p));
      for (const Fact& p : d.runtime_packages) row(out, "run package", source_of(p));
      if (d.workspace) {
        row(out, "workspace",
            fmt::format("{} workspace at {} ({}), member {}", d.workspace->kind,
                        d.workspace->root.empty() ? "." : d.workspace->root,
                        d.workspace->evidence.where(), d.workspace->member));
      }
      chosen_rows(out, d, explain);
    }
    if (d.dockerfile) {
      std::string text = d.dockerfile->path + " (kept as it is";
      if (d.dockerfile->healthcheck) {
        text += "; HEALTHCHECK at line " + std::to_string(d.dockerfile->healthcheck->evidence.line);
      }
      row(out, "dockerfile", text + ")");
    }
    for (const BackingNeed& need : d.needs) {
      row(out, "needs",
          fmt::format("{}  ({}: {})", need.service, need.evidence.where(), need.evidence.text));
    }
    for (const std::string& note : d.notes) row(out, "note", note);
  }
  return out;
}

nlohmann::ordered_json detections_to_json(const std::vector<Detection>& detections) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Detection& d : detections) {
    nlohmann::ordered_json j;
    j["folder"] = d.folder.empty() ? "." : d.folder;
    j["service"] = d.name;
    j["type"] = d.recognised() ? nlohmann::ordered_json(d.type) : nlohmann::ordered_json();
    j["language"] = fact_json(d.language);
    j["framework"] = fact_json(d.framework);
    j["package_manager"] = fact_json(d.package_manager);
    j["runtime_version"] = fact_json(d.runtime_version);
    j["port"] = fact_json(d.port);
    j["start"] = fact_json(d.start_command);
    j["health_path"] = fact_json(d.health_path);
    j["build"] = nlohmann::ordered_json::array();
    for (const Fact& step : d.build_steps) j["build"].push_back(step.value);
    if (d.prune) j["prune"] = d.prune->value;
    j["library"] = d.library;
    if (d.workspace) {
      j["workspace"] = {{"kind", d.workspace->kind},
                        {"root", d.workspace->root.empty() ? "." : d.workspace->root},
                        {"member", d.workspace->member},
                        {"file", d.workspace->evidence.file},
                        {"line", d.workspace->evidence.line}};
    }
    j["system_packages"] = {{"build", nlohmann::ordered_json::array()},
                            {"run", nlohmann::ordered_json::array()}};
    for (const Fact& p : d.build_packages) j["system_packages"]["build"].push_back(p.value);
    for (const Fact& p : d.runtime_packages) j["system_packages"]["run"].push_back(p.value);
    j["candidates"] = nlohmann::ordered_json::array();
    for (const Candidate& c : d.candidates) {
      j["candidates"].push_back({{"type", c.type}, {"score", c.score}, {"reasons", c.reasons}});
    }
    if (d.dockerfile) {
      j["dockerfile"]["path"] = d.dockerfile->path;
      j["dockerfile"]["expose"] = nlohmann::ordered_json::array();
      for (const Fact& p : d.dockerfile->exposed_ports)
        j["dockerfile"]["expose"].push_back(fact_json(p));
      if (d.dockerfile->healthcheck)
        j["dockerfile"]["healthcheck"] = fact_json(*d.dockerfile->healthcheck);
    }
    j["needs"] = nlohmann::ordered_json::array();
    for (const BackingNeed& n : d.needs) {
      j["needs"].push_back({{"service", n.service},
                            {"file", n.evidence.file},
                            {"line", n.evidence.line},
                            {"text", n.evidence.text}});
    }
    j["notes"] = d.notes;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace fusion
