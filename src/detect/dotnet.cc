// .NET: a *.csproj; ASP.NET Core when its SDK is Microsoft.NET.Sdk.Web.

#include <fmt/format.h>

#include "detect/project_folder.h"

namespace fusion {

std::optional<Detection> detect_dotnet(const ProjectFolder& project) {
  std::vector<std::string> projects = project.snapshot().files_in(project.folder(), ".csproj");
  if (projects.empty()) return std::nullopt;
  const std::string& csproj = projects.front();
  Detection d;
  d.type = "dotnet";
  d.language = found("c#", Evidence{csproj, 0, ""});
  static const std::regex target(R"(<TargetFramework>net(\d+\.\d+)</TargetFramework>)");
  d.runtime_version = project.search({csproj}, target)
                          .value_or(convention("8.0", "no TargetFramework in the project"));
  d.package_manager = found("nuget", Evidence{csproj, 0, ""});
  d.packages = read_packages(project.snapshot(), csproj);
  auto web = project.snapshot().find_line(csproj, "Microsoft.NET.Sdk.Web");
  d.framework =
      web ? found("aspnetcore", *web) : unknown("the project's SDK is not Microsoft.NET.Sdk.Web");
  static const std::vector<std::regex> ports = {
      std::regex(R"re(UseUrls\("https?://[^:"]+:(\d{2,5}))re"),
      std::regex(R"re(\.Run\("https?://[^:"]+:(\d{2,5}))re"),
      std::regex(R"re(ASPNETCORE_HTTP_PORTS"?\s*[=:]\s*"?(\d{2,5}))re")};
  d.port = port_from(project, project.sources(".cs"), ports,
                     web ? convention("8080", ".NET 8 images listen on ASPNETCORE_HTTP_PORTS=8080")
                         : unknown("not a web project"));
  std::string stem = csproj.substr(csproj.rfind('/') + 1);
  stem.resize(stem.size() - std::string_view(".csproj").size());
  static const std::regex assembly(R"(<AssemblyName>([^<]+)</AssemblyName>)");
  if (auto named = project.search({csproj}, assembly)) stem = named->value;
  d.build_steps = {convention("dotnet restore", csproj),
                   convention("dotnet publish -c Release --no-restore -o /out", csproj)};
  d.start_command = convention(fmt::format("dotnet {}.dll", stem), "the assembly publish writes");
  return d;
}

}  // namespace fusion
