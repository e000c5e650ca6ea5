#include "generate/inventory.h"

#include <fmt/format.h>

#include <set>

#include "graph/render.h"
#include "graph/selection.h"
#include "util/strings.h"

namespace fusion {
namespace {

std::string source_of(const GenerateContext& ctx, const Service& s) {
  std::vector<std::string> parts;
  if (s.image.present()) parts.push_back("`" + s.image.value + "`");
  if (s.has_source()) {
    parts.push_back(s.repo.present()
                        ? "repo `" + s.repo.value + "`"
                        : "`" + relative_path(ctx.registry_dir, source_dir(ctx, s)) + "`");
  }
  return join(parts, " or ");
}

std::string ports_of(const Service& s) {
  std::vector<std::string> ports;
  for (const PortMapping& p : s.ports) {
    std::string port = std::to_string(p.container_port);
    if (p.protocol == Protocol::kUdp) port += "/udp";
    if (p.host_port != 0) {
      port += fmt::format(" (host {}{})", p.host_ip.empty() ? "" : p.host_ip + ":", p.host_port);
    }
    ports.push_back(port);
  }
  return join(ports, ", ");
}

std::string depends_of(const Service& s) {
  std::vector<std::string> deps;
  for (const Dependency& d : s.depends_on) {
    deps.push_back(fmt::format("{} ({})", d.service.value, condition_name(d.condition)));
  }
  return join(deps, ", ");
}

std::string mermaid(const Registry& reg) {
  std::set<std::string> profiles;
  for (const Service& s : reg.services) {
    for (const Text& p : s.profiles) profiles.insert(p.value);
  }
  auto everything = select_services(reg, {}, {profiles.begin(), profiles.end()});
  if (!everything) return "";
  std::string graph = render_graph(reg, *everything, GraphFormat::kMermaid);
  if (!graph.empty() && graph.back() == '\n') graph.pop_back();
  return graph;
}

}  // namespace

Result<FileSet> generate_inventory(const GenerateContext& ctx, const Templates& templates) {
  const Registry& reg = *ctx.registry;
  TemplateData services{TemplateData::type::list};
  for (const Service& s : reg.services) {
    TemplateData item;
    item.set("name", s.name.value);
    if (s.description.present()) item.set("description", s.description.value);
    item.set("source", source_of(ctx, s));
    item.set("phase", s.phase.value);
    item.set("ports", ports_of(s));
    item.set("depends_on", depends_of(s));
    std::string host = service_hostname(reg, s);
    item.set("url", host.empty() ? "" : "http://" + host);
    services.push_back(item);
  }
  TemplateData data;
  std::string header = generated_header("<!--", "-->");
  data.set("header", header.substr(0, header.size() - 1));
  data.set("stack", reg.name.value);
  data.set("count", std::to_string(reg.services.size()));
  if (reg.domain.present()) data.set("domain", reg.domain.value);
  data.set("services", services);
  data.set("mermaid", mermaid(reg));
  auto text = templates.render("SERVICES.md.mustache", data, markdown_cell_escape);
  if (!text) return Error{text.error()};
  return FileSet{{"SERVICES.md", std::move(text).value()}};
}

}  // namespace fusion
