#include "scaffold/base_images.h"

#include <map>
#include <utility>

namespace fusion {
namespace {

using Table = std::map<std::string_view, std::pair<std::string_view, std::string_view>>;

struct Family {
  std::string_view fallback;  ///< the version used when the wanted one is not in the table
  Table versions;             ///< version → {builder, runtime}
};

const std::map<std::string_view, Family>& families() {
  static const std::map<std::string_view, Family> table = {
      {"python",
       {"3.12",
        {{"3.11", {"python:3.11.11-slim-bookworm", "python:3.11.11-slim-bookworm"}},
         {"3.12", {"python:3.12.8-slim-bookworm", "python:3.12.8-slim-bookworm"}},
         {"3.13", {"python:3.13.1-slim-bookworm", "python:3.13.1-slim-bookworm"}}}}},
      {"node",
       {"22",
        {{"18", {"node:18.20.5-bookworm-slim", "node:18.20.5-bookworm-slim"}},
         {"20", {"node:20.18.1-bookworm-slim", "node:20.18.1-bookworm-slim"}},
         {"22", {"node:22.12.0-bookworm-slim", "node:22.12.0-bookworm-slim"}}}}},
      {"node-static",
       {"22",
        {{"18", {"node:18.20.5-bookworm-slim", kBusyboxImage}},
         {"20", {"node:20.18.1-bookworm-slim", kBusyboxImage}},
         {"22", {"node:22.12.0-bookworm-slim", kBusyboxImage}}}}},
      {"go",
       {"1.23",
        {{"1.21", {"golang:1.21.13-bookworm", kBusyboxImage}},
         {"1.22", {"golang:1.22.10-bookworm", kBusyboxImage}},
         {"1.23", {"golang:1.23.4-bookworm", kBusyboxImage}}}}},
      {"rust",
       {"1.83",
        {{"1.80", {"rust:1.80.1-slim-bookworm", "debian:12.8-slim"}},
         {"1.83", {"rust:1.83.0-slim-bookworm", "debian:12.8-slim"}}}}},
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
         {"9.0",
          {"mcr.microsoft.com/dotnet/sdk:9.0.101", "mcr.microsoft.com/dotnet/aspnet:9.0.0"}}}}},
      {"static", {"1.36.1", {{"1.36.1", {"", kBusyboxImage}}}}},
  };
  return table;
}

}  // namespace

BaseImages base_images(std::string_view type, std::string_view version) {
  auto family = families().find(type);
  if (family == families().end()) return {};
  const Family& f = family->second;
  auto it = f.versions.find(version);
  std::string note;
  if (it == f.versions.end()) {
    it = f.versions.find(f.fallback);
    note = "no pinned image for " + std::string(type) + " " + std::string(version) + "; " +
           std::string(f.fallback) + " used";
  }
  return {std::string(it->second.first), std::string(it->second.second), note};
}

}  // namespace fusion
