#include "runtime/log_follow.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runtime/fake_runtime.h"

namespace fusion {
namespace {

using ::testing::ElementsAre;

/// Sources with their whole output; read() honours `since` and `tail` as engines do.
class FakeLogReader : public LogReader {
 public:
  Result<std::vector<LogSource>> sources() override { return listed; }
  Result<std::string> read(const LogSource& source, size_t tail,
                           const std::string& since) override {
    reads.push_back(source.id + " tail=" + std::to_string(tail) + " since=" + since);
    auto it = output.find(source.id);
    if (it == output.end()) return Error{"no such container"};
    std::vector<std::string> lines;
    for (const std::string& line : it->second) {
      if (since.empty() || parse_rfc3339_ns(line.substr(0, line.find(' '))) >=
                               parse_rfc3339_ns(since.substr(0, 19) + "Z")) {
        lines.push_back(line);
      }
    }
    if (tail && lines.size() > tail) lines.erase(lines.begin(), lines.end() - tail);
    std::string text;
    for (const std::string& l : lines) text += l + "\n";
    return text;
  }

  std::vector<LogSource> listed;
  std::map<std::string, std::vector<std::string>> output;
  std::vector<std::string> reads;
};

std::string at(int second, const std::string& text) {
  return "2026-11-27T10:00:" + std::string(second < 10 ? "0" : "") + std::to_string(second) +
         ".5Z " + text;
}

TEST(LogFollowerTest, FirstPollTailsEachSourceThenMergesByTime) {
  FakeLogReader reader;
  reader.listed = {{"web", "web-1"}, {"api", "api-1"}};
  reader.output["api-1"] = {at(1, "api one"), at(3, "api two"), at(5, "api three")};
  reader.output["web-1"] = {at(2, "web one"), at(4, "web two")};
  LogFollower follower(reader, {}, 2);
  auto lines = follower.poll(false);
  ASSERT_TRUE(lines) << lines.error();
  EXPECT_THAT(*lines,
              ElementsAre("web | web one", "api | api two", "web | web two", "api | api three"));
  EXPECT_THAT(reader.reads, ElementsAre("api-1 tail=2 since=", "web-1 tail=2 since="));
}

TEST(LogFollowerTest, LaterPollsShowOnlyNewLinesAndNewSourcesWhole) {
  FakeLogReader reader;
  reader.listed = {{"api", "api-1"}};
  reader.output["api-1"] = {at(1, "one"), at(1, "one again")};
  LogFollower follower(reader, {}, 1);
  ASSERT_THAT(follower.poll(false).value(), ElementsAre("api | one again"));
  // The engine answers `since` in whole seconds: lines already shown come back, and go.
  reader.output["api-1"].push_back(at(2, "two"));
  reader.listed.push_back({"api", "api-2"});  // a replacement pod, seen for the first time
  reader.output["api-2"] = {at(0, "started"), at(3, "serving")};
  auto lines = follower.poll(false);
  ASSERT_TRUE(lines);
  EXPECT_THAT(*lines, ElementsAre("api | started", "api | two", "api | serving"));
  EXPECT_EQ(reader.reads[1], "api-1 tail=0 since=2026-11-27T10:00:01.5Z");
  EXPECT_EQ(reader.reads[2], "api-2 tail=0 since=");
  EXPECT_EQ(follower.source_count(), 2u);
  EXPECT_TRUE(follower.poll(false).value().empty());
}

TEST(LogFollowerTest, OnlyTheNamedServicesAlignedToTheLongestName) {
  FakeLogReader reader;
  reader.listed = {{"db", "db-1"}, {"api", "api-1"}, {"worker", "worker-1"}};
  reader.output = {
      {"db-1", {at(1, "ready")}}, {"api-1", {at(2, "up")}}, {"worker-1", {at(3, "working")}}};
  LogFollower follower(reader, {"db", "api"}, 0);
  EXPECT_THAT(follower.poll(false).value(), ElementsAre("db  | ready", "api | up"));
}

TEST(LogFollowerTest, ASourceGoneMeanwhileIsSkipped) {
  FakeLogReader reader;
  reader.listed = {{"api", "api-1"}, {"api", "api-old"}};
  reader.output["api-1"] = {at(1, "up")};
  LogFollower follower(reader, {}, 0);
  EXPECT_THAT(follower.poll(false).value(), ElementsAre("api | up"));
}

TEST(EngineLogReaderTest, SourcesAreTheStacksLabelledContainersByService) {
  testing::FakeRuntime runtime;
  std::vector<ContainerInfo> containers(3);
  containers[0].name = "shop-web";
  containers[0].labels[kServiceLabel] = "web";
  containers[1].name = "stray";
  containers[2].name = "shop-db";
  containers[2].labels[kServiceLabel] = "db";
  EngineLogReader reader(runtime, containers);
  EXPECT_THAT(reader.sources().value(),
              ElementsAre(LogSource{"db", "shop-db"}, LogSource{"web", "shop-web"}));
  EXPECT_EQ(reader.read({"db", "shop-db"}, 0, "").value(), "shop-db says hello\n");
}

}  // namespace
}  // namespace fusion
