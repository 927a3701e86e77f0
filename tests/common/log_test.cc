#include "common/log.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace convault {
namespace {

TEST(Log, WritesOneJsonObjectPerLineWithTheGivenFields) {
  std::vector<std::string> lines;
  log::SetObserverForTesting([&](std::string_view l) { lines.emplace_back(l); });
  log::Info("http", "request", {{"status", 200}, {"route", "/healthz"}, {"ok", true}});
  log::SetObserverForTesting(nullptr);
  ASSERT_EQ(lines.size(), 1u);
  auto j = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["component"], "http");
  EXPECT_EQ(j["event"], "request");
  EXPECT_EQ(j["status"], 200);
  EXPECT_EQ(j["route"], "/healthz");
  EXPECT_EQ(j["ok"], true);
  EXPECT_TRUE(j.contains("ts"));
}

TEST(Log, EscapesControlCharactersAndInvalidUtf8) {
  std::vector<std::string> lines;
  log::SetObserverForTesting([&](std::string_view l) { lines.emplace_back(l); });
  log::Warn("t", "e", {{"v", std::string_view("a\"b\n\xff")}});
  log::SetObserverForTesting(nullptr);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].find('\n'), std::string::npos);
  auto j = nlohmann::json::parse(lines[0], nullptr, false);
  ASSERT_FALSE(j.is_discarded());
}

TEST(Log, LevelsBelowTheMinimumAreDropped) {
  std::vector<std::string> lines;
  log::SetObserverForTesting([&](std::string_view l) { lines.emplace_back(l); });
  log::Init({log::Level::kWarn});
  log::Info("t", "dropped");
  log::Error("t", "kept");
  log::Init({log::Level::kInfo});
  log::SetObserverForTesting(nullptr);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("kept"), std::string::npos);
}

TEST(Log, ParseLevelAcceptsOnlyKnownNames) {
  log::Level level;
  EXPECT_TRUE(log::ParseLevel("debug", &level));
  EXPECT_EQ(level, log::Level::kDebug);
  EXPECT_FALSE(log::ParseLevel("verbose", &level));
}

}  // namespace
}  // namespace convault
