#include "scaffold/base_images.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

namespace fusion {
namespace {

using Table = std::map<std::string_view, std::pair<std::string_view, std::string_view>>;

struct Family {
  std::string_view fallback;  ///< the version used when the project pins none
  Table versions;             ///< version → {builder, runtime}
};

const std::map<std::string_view, Family>& families() {
  static const std::map<std::string_view, Family> table = {
      {"python",
       {"3.12",
        {{"3.11", {"python:3.11.11-slim-bookworm", "python:3.11.11-slim-bookworm"}},
         {"3.12", {"python:3.12.8-slim-bookworm", "python:3.12.8-slim-bookworm"}},
         {"3.13", {"python:3.13.1-slim-bookworm", "python:3.13.1-slim-bookworm"}},
         {"3.14", {"python:3.14.0-slim-bookworm", "python:3.14.0-slim-bookworm"}}}}},
      {"node",
       {"22",
        {{"18", {"node:18.20.5-bookworm-slim", "node:18.20.5-bookworm-slim"}},
         {"20", {"node:20.18.1-bookworm-slim", "node:20.18.1-bookworm-slim"}},
         {"22", {"node:22.12.0-bookworm-slim", "node:22.12.0-bookworm-slim"}},
         {"24", {"node:24.11.0-bookworm-slim", "node:24.11.0-bookworm-slim"}}}}},
      {"node-static",
       {"22",
        {{"18", {"node:18.20.5-bookworm-slim", kBusyboxImage}},
         {"20", {"node:20.18.1-bookworm-slim", kBusyboxImage}},
         {"22", {"node:22.12.0-bookworm-slim", kBusyboxImage}},
         {"24", {"node:24.11.0-bookworm-slim", kBusyboxImage}}}}},
      {"go",
       {"1.23",
        {{"1.21", {"golang:1.21.13-bookworm", kBusyboxImage}},
         {"1.22", {"golang:1.22.10-bookworm", kBusyboxImage}},
         {"1.23", {"golang:1.23.4-bookworm", kBusyboxImage}},
         {"1.24", {"golang:1.24.9-bookworm", kBusyboxImage}},
         {"1.25", {"golang:1.25.3-bookworm", kBusyboxImage}}}}},
      {"rust",
       {"1.83",
        {{"1.80", {"rust:1.80.1-slim-bookworm", "debian:12.8-slim"}},
         {"1.83", {"rust:1.83.0-slim-bookworm", "debian:12.8-slim"}},
         {"1.91", {"rust:1.91.0-slim-bookworm", "debian:12.12-slim"}}}}},
      {"java-maven",
       {"21",
        {{"17", {"maven:3.9.9-eclipse-temurin-17", "eclipse-temurin:17.0.13_11-jre"}},
         {"21", {"maven:3.9.9-eclipse-temurin-21", "eclipse-temurin:21.0.5_11-jre"}}}}},
      {"java-gradle",
       {"21",
        {{"17", {"gradle:8.11.1-jdk17", "eclipse-temurin:17.0.13_11-jre"}},
         {"21", {"gradle:8.11.1-jdk21", "eclipse-temurin:21.0.5_11-jre"}}}}},
      {"ruby",
       {"3.3",
        {{"3.2", {"ruby:3.2.6-slim-bookworm", "ruby:3.2.6-slim-bookworm"}},
         {"3.3", {"ruby:3.3.6-slim-bookworm", "ruby:3.3.6-slim-bookworm"}}}}},
      {"dotnet",
       {"8.0",
        {{"8.0",
          {"mcr.microsoft.com/dotnet/sdk:8.0.404", "mcr.microsoft.com/dotnet/aspnet:8.0.11"}},
         {"9.0", {"mcr.microsoft.com/dotnet/sdk:9.0.101", "mcr.microsoft.com/dotnet/aspnet:9.0.0"}},
         {"10.0",
          {"mcr.microsoft.com/dotnet/sdk:10.0.100", "mcr.microsoft.com/dotnet/aspnet:10.0.0"}}}}},
      {"static", {"1.36.1", {{"1.36.1", {"", kBusyboxImage}}}}},
  };
  return table;
}

/// "1.9" < "1.23", "3.9" < "3.14": dotted versions compared number by number.
bool older(std::string_view a, std::string_view b) {
  auto numbers = [](std::string_view v) {
    std::vector<long> out;
    long n = 0;
    bool any = false;
    for (char c : v) {
      if (c >= '0' && c <= '9') {
        n = n * 10 + (c - '0');
        any = true;
      } else if (c == '.') {
        out.push_back(n);
        n = 0;
      } else {
        break;
      }
    }
    if (any) out.push_back(n);
    return out;
  };
  return numbers(a) < numbers(b);
}

}  // namespace

Result<BaseImages> base_images(std::string_view type, std::string_view version, bool at_least) {
  auto family = families().find(type);
  if (family == families().end()) return BaseImages{};
  const Family& f = family->second;
  auto pinned = [&](std::string_view v, std::string note) {
    const auto& [builder, runtime] = f.versions.at(v);
    return BaseImages{std::string(builder), std::string(runtime), std::string(v), std::move(note)};
  };
  if (f.versions.contains(version) && !(at_least && !older(f.fallback, version))) {
    return pinned(version, "");
  }
  if (at_least) {
    if (!older(f.fallback, version)) return pinned(f.fallback, "");
    std::string_view best;
    for (const auto& [v, images] : f.versions) {  // the oldest pinned version that satisfies it
      if (!older(v, version) && (best.empty() || older(v, best))) best = v;
    }
    if (!best.empty()) {
      return pinned(best, fmt::format("{} {} or newer asked for: {} used", type, version, best));
    }
  }
  std::vector<std::string> known;
  for (const auto& [v, images] : f.versions) known.emplace_back(v);
  std::sort(known.begin(), known.end(),
            [](const std::string& a, const std::string& b) { return older(a, b); });
  return Error{fmt::format(
      "the project asks for {} {}{}, and fusion pins base images only for {} ({}); set the "
      "version the project builds with, or write the Dockerfile by hand",
      type, version, at_least ? " or newer" : "", type, fmt::join(known, ", "))};
}

}  // namespace fusion
