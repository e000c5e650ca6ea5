#include "scaffold/draft_registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "detect/backing.h"
#include "detect/detect.h"
#include "generate/yaml_emitter.h"
#include "util/strings.h"

namespace fusion {
namespace {

std::string to_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

/// The env variable a service conventionally reads a backing service's address from.
std::string url_variable(std::string_view backing) {
  static const std::map<std::string_view, std::string_view> names = {
      {"postgres", "DATABASE_URL"}, {"mysql", "DATABASE_URL"},  {"redis", "REDIS_URL"},
      {"rabbitmq", "AMQP_URL"},     {"kafka", "KAFKA_BROKERS"}, {"mongo", "MONGODB_URL"}};
  auto it = names.find(backing);
  return it == names.end() ? "URL" : std::string(it->second);
}

/// Text safe inside a YAML comment: one line, no control characters, at most 160 characters.
std::string comment_safe(std::string_view raw) {
  std::string text = printable_line(raw);
  if (text.size() <= 160) return text;
  size_t cut = 160;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;  // whole chars
  return text.substr(0, cut) + "…";
}

class DraftWriter {
 public:
  /// A comment line at `indent`.
  void comment(int indent, std::string_view text) {
    line(fmt::format("{:{}}# {}", "", indent, comment_safe(text)));
  }

  explicit DraftWriter(Draft& draft) : draft_(draft) {}

  void line(const std::string& text = "") { draft_.text += text + "\n"; }

  /// `key: value` with the evidence or a TODO as a trailing comment.
  void field(int indent, const std::string& key, const std::string& value,
             const std::string& comment = "") {
    std::string text = fmt::format("{:{}}{}: {}", "", indent, key, value);
    if (!comment.empty()) text += "  # " + comment_safe(comment);
    line(text);
  }

  std::string todo(const std::string& text) {
    ++draft_.todos;
    return "TODO: " + text;
  }

 private:
  Draft& draft_;
};

std::string evidence_comment(const Fact& fact) {
  if (fact.evidence.file.empty()) return fact.evidence.text;
  return fact.evidence.text.empty() ? fact.evidence.where()
                                    : fact.evidence.where() + ": " + fact.evidence.text;
}

/// Unique service names: a folder's name, qualified by its parent's on a clash.
std::vector<std::string> service_names(const std::vector<Detection>& projects) {
  std::set<std::string> taken;
  for (const BackingService& b : backing_services()) taken.insert(std::string(b.name));
  std::vector<std::string> names;
  for (const Detection& d : projects) {
    std::string name = d.name;
    if (taken.contains(name) && d.folder.find('/') != std::string::npos) {
      std::string parent = d.folder.substr(0, d.folder.rfind('/'));
      name = service_name_for(parent.substr(parent.rfind('/') + 1) + "-" + d.name);
    }
    for (int n = 2; taken.contains(name); ++n) {  // "-N" within the 63 characters of a label
      std::string suffix = fmt::format("-{}", n);
      name = service_name_for(d.name.substr(0, 63 - suffix.size())) + suffix;
    }
    taken.insert(name);
    names.push_back(name);
  }
  return names;
}

void write_health(DraftWriter& w, const Detection& d) {
  uint16_t port = d.port_number();
  // fusion's own Dockerfile echoes fusion.yaml: the sources' health route outranks it.
  if (d.dockerfile && d.dockerfile->healthcheck && !d.dockerfile->by_fusion) {
    w.field(4, "health", "{ container: true }",
            "the Dockerfile's HEALTHCHECK (" + d.dockerfile->healthcheck->evidence.where() + ")");
  } else if (d.health_path.known() && port != 0) {
    w.field(4, "health",
            fmt::format("{{ http: {}, port: {} }}", yaml_scalar(d.health_path.value, true), port),
            evidence_comment(d.health_path));
  } else if (port != 0) {
    w.field(4, "health", fmt::format("{{ tcp: {} }}", port),
            w.todo("an http check proves more: { http: /your-health-path }"));
  } else {
    w.comment(
        4, fmt::format("{}", w.todo("no port found; if it serves, add ports and a health check")));
  }
}

void write_project(DraftWriter& w, Draft& draft, const Detection& d, const std::string& name) {
  std::string what = d.framework.known() ? d.type + ", " + d.framework.value : d.type;
  w.comment(2, fmt::format("{}: {}", what,
                           evidence_comment(d.framework.known() ? d.framework : d.language)));
  w.line(fmt::format("  {}:", name));
  w.field(4, "path", yaml_scalar(d.folder.empty() ? "." : printable_line(d.folder)));
  if (d.workspace) {  // built from the workspace root, with its lockfile
    std::string up;
    size_t depth = static_cast<size_t>(
                       std::count(d.workspace->member.begin(), d.workspace->member.end(), '/')) +
                   1;
    for (size_t i = 0; i < depth; ++i) up += i == 0 ? ".." : "/..";
    w.field(
        4, "build",
        fmt::format("{{ context: {}, dockerfile: {} }}", yaml_scalar(up),
                    yaml_scalar(printable_line(d.workspace->member) + "/Dockerfile")),
        "a member of the " + d.workspace->kind + " workspace at " + d.workspace->evidence.where());
  }
  if (!d.dockerfile) {
    draft.without_dockerfile.push_back(name);
    w.line(
        fmt::format("    # no Dockerfile yet: `fusion generate dockerfile {}` writes one", name));
  }
  if (d.port_number() != 0) {
    w.field(4, "ports", fmt::format("[\"{}\"]", d.port.value),
            (d.port.evidence.file.empty() ? "" : "from ") + evidence_comment(d.port));
  }
  write_health(w, d);
  if (!d.needs.empty()) {
    w.line("    env:");
    std::set<std::string> used;  // postgres and mysql both suggest DATABASE_URL
    for (const BackingNeed& need : d.needs) {
      const BackingService* b = find_backing_service(need.service);
      std::string variable = url_variable(need.service);
      if (!used.insert(variable).second) {
        variable = to_upper(need.service) + "_URL";
        used.insert(variable);
      }
      w.field(6, variable, yaml_scalar(std::string(b->url)),
              w.todo("the variable your code reads"));
    }
    w.line("    depends_on:");
    for (const BackingNeed& need : d.needs) {
      w.field(6, need.service, "healthy", need.evidence.where() + ": " + need.evidence.text);
    }
  }
  for (const std::string& note : d.notes) w.comment(4, "note: " + note);
  w.line();
}

void write_backing(DraftWriter& w, const BackingService& b) {
  w.comment(2, fmt::format("{}", w.todo("suggested by the client libraries above; check the image "
                                        "and its settings")));
  w.line(fmt::format("  {}:", b.name));
  w.field(4, "group", "backing");
  w.field(4, "image", std::string(b.image));
  w.field(4, "ports", fmt::format("[\"{}\"]", b.port));
  if (!b.env.empty()) w.field(4, "env", std::string(b.env));
  if (!b.volume.empty()) w.field(4, "volumes", fmt::format("[\"{}\"]", b.volume));
  w.field(4, "health", std::string(b.health));
  w.line();
}

}  // namespace

Draft draft_registry(const DraftInput& input) {
  Draft draft;
  DraftWriter w(draft);
  w.line("# Drafted by `fusion init` from what the projects' own files say; the comments give the");
  w.line("# file and line of each fact. Each TODO is something fusion could not decide.");
  w.line("version: 1");
  w.field(0, "name", yaml_scalar(service_name_for(input.stack_name)));
  w.line("workspace: { root: . }");
  w.line();
  if (!input.repos.empty()) {
    w.line("repos:");
    std::set<std::string> repo_names;
    for (const DraftRepo& repo : input.repos) {
      if (!repo_names.insert(service_name_for(repo.name)).second) continue;  // "api_", "api-"
      w.field(2, service_name_for(repo.name),
              fmt::format("{{ url: {} }}", yaml_scalar(printable_line(repo.url), true)));
    }
    w.line();
  }
  std::vector<Detection> recognised;
  for (const Detection& d : input.projects) {
    if (d.service()) recognised.push_back(d);
  }
  std::vector<std::string> names = service_names(recognised);
  std::set<std::string> needed;
  for (const Detection& d : recognised) {
    for (const BackingNeed& need : d.needs) needed.insert(need.service);
  }
  w.line(recognised.empty() && needed.empty() ? "services: {}" : "services:");
  for (size_t i = 0; i < recognised.size(); ++i) {
    write_project(w, draft, recognised[i], names[i]);
  }
  std::vector<std::string> volumes;
  for (const BackingService& b : backing_services()) {
    if (!needed.contains(std::string(b.name))) continue;
    write_backing(w, b);
    if (!b.volume.empty()) volumes.push_back(std::string(b.volume.substr(0, b.volume.find(':'))));
  }
  draft.services = recognised.size() + needed.size();
  if (!volumes.empty()) {
    w.line("volumes:");
    for (const std::string& v : volumes) w.field(2, v, "{}");
  }
  for (const Detection& d : input.projects) {
    if (d.library) {
      w.comment(0, fmt::format("a library, not a service: {}", d.folder.empty() ? "." : d.folder));
    } else if (!d.recognised()) {
      w.comment(0, fmt::format("not recognised: {}: {}", d.folder.empty() ? "." : d.folder,
                               d.notes.empty() ? "" : d.notes.front()));
    }
  }
  return draft;
}

}  // namespace fusion
