// A static site: an index.html with no build of its own, served as files.

#include "detect/project_folder.h"

namespace fusion {

std::optional<Detection> detect_static_site(const ProjectFolder& project) {
  std::string index;
  for (std::string_view candidate : {"index.html", "public/index.html", "site/index.html"}) {
    if (project.has(candidate)) {
      index = project.path(candidate);
      break;
    }
  }
  if (index.empty()) return std::nullopt;
  Detection d;
  d.type = "static";
  d.language = found("html", Evidence{index, 0, ""});
  d.framework = convention("static files", "no build step: the files are served as they are");
  d.package_manager = convention("none", "nothing to install");
  d.runtime_version = convention("1.36.1", "busybox's httpd serves the files");
  d.port = convention("8080", "the static file server fusion's Dockerfile runs");
  d.start_command = convention("httpd -f -p 8080 -h /www", "busybox httpd, in the foreground");
  std::string rel = project.relative(index);
  d.served_folder = rel.find('/') == std::string::npos ? "." : rel.substr(0, rel.rfind('/'));
  return d;
}

}  // namespace fusion
