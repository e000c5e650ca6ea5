// Java: Spring Boot (or plain) projects built with Maven (pom.xml) or Gradle (build.gradle[.kts]).

#include <fmt/format.h>

#include <algorithm>

#include "detect/project_folder.h"
#include "detect/workspace_root.h"

namespace fusion {
namespace {

Fact java_version(const ProjectFolder& project, const std::string& build_file) {
  static const std::vector<std::regex> patterns = {
      std::regex(R"(<java\.version>\s*(\d+)\s*</java\.version>)"),
      std::regex(R"(<maven\.compiler\.release>\s*(\d+))"),
      std::regex(R"(JavaLanguageVersion\.of\((\d+)\))"), std::regex(R"(VERSION_(\d+))"),
      std::regex(R"(sourceCompatibility\s*=\s*'?(\d+))")};
  return port_from(project, {project.path(build_file)}, patterns,
                   convention("21", "no Java version in " + build_file + "; the current LTS"));
}

std::optional<Fact> spring_boot(const ProjectFolder& project, const std::string& build_file,
                                const std::vector<Package>& packages) {
  if (const Package* web = find_package(packages, "spring-boot-starter-web")) {
    return found("spring-boot", web->evidence);
  }
  if (const Package* webflux = find_package(packages, "spring-boot-starter-webflux")) {
    return found("spring-boot", webflux->evidence);
  }
  if (auto plugin = project.line(build_file, "org.springframework.boot")) {
    return found("spring-boot", *plugin);
  }
  return std::nullopt;
}

}  // namespace

std::optional<Detection> detect_java(const ProjectFolder& project) {
  std::string build_file;
  for (std::string_view name : {"pom.xml", "build.gradle.kts", "build.gradle"}) {
    if (project.has(name)) {
      build_file = std::string(name);
      break;
    }
  }
  if (build_file.empty()) return std::nullopt;
  bool maven = build_file == "pom.xml";
  Detection d;
  d.type = maven ? "java-maven" : "java-gradle";
  bool kotlin = build_file.ends_with(".kts") && !project.sources(".kt").empty();
  d.language = found(kotlin ? "kotlin" : "java", project.file_evidence(build_file));
  d.runtime_version = java_version(project, build_file);
  d.package_manager = found(maven ? "maven" : "gradle", project.file_evidence(build_file));
  d.packages = project.packages(build_file);
  d.framework = spring_boot(project, build_file, d.packages)
                    .value_or(unknown("no Spring Boot starter or plugin in " + build_file));
  static const std::vector<std::regex> ports = {std::regex(R"(server\.port\s*[=:]\s*(\d{2,5}))"),
                                                std::regex(R"(\n\s+port:\s*(\d{2,5}))")};
  std::vector<std::string> config =
      project.sources({"application.properties", "application.yml", "application.yaml"});
  Fact fallback = d.framework.known() ? convention("8080", "Spring Boot's default server.port")
                                      : unknown("no server.port in application.properties");
  d.port = port_from(project, config, ports, fallback);
  // A module of a multi-module build is built from the root, with the modules it needs.
  auto module = membership_of(project.snapshot(), project.folder());
  std::string root = module ? module->root : project.folder();
  auto at_root = [&](std::string_view name) {
    return project.snapshot().has(join_path(root, name));
  };
  if (maven) {
    bool wrapper = at_root("mvnw");
    std::string modules = module ? " -pl " + module->member + " -am" : "";
    d.build_steps = {
        convention(std::string(wrapper ? "./mvnw" : "mvn") + " -B -q package -DskipTests" + modules,
                   wrapper ? "the Maven wrapper" : "pom.xml")};
  } else {
    bool wrapper = at_root("gradlew");
    std::string task = d.framework.known() ? "bootJar" : "build -x test";
    if (module) {
      std::string path = module->member;
      std::replace(path.begin(), path.end(), '/', ':');
      task = ":" + path + ":" + task;
    }
    d.build_steps = {
        convention(std::string(wrapper ? "./gradlew" : "gradle") + " --no-daemon " + task,
                   wrapper ? "the Gradle wrapper" : build_file)};
  }
  d.start_command = convention("java -jar /app/app.jar", "the jar the build writes");
  return d;
}

}  // namespace fusion
