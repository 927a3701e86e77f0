#include "common/json_text.h"

#include <random>

#include "common/time_format.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace convault {
namespace {

using Json = nlohmann::json;

std::string Quoted(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

TEST(JsonText, StringsMatchNlohmannForValidUtf8) {
  const std::string samples[] = {"",
                                 "plain",
                                 "quote \" and \\ backslash",
                                 "tab\tnew\nline\r",
                                 "\b\f",
                                 "ctl \x01\x1f",
                                 "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
                                 "\x7F del",
                                 "/slash",
                                 std::string("nul\0byte", 8)};
  for (const std::string& s : samples) EXPECT_EQ(Quoted(s), Json(s).dump()) << s;
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string s;
    int n = static_cast<int>(rng() % 40);
    for (int k = 0; k < n; ++k) {
      switch (rng() % 4) {
        case 0:
          s += static_cast<char>(rng() % 128);
          break;
        case 1:
          s += "\xC3\xA9";
          break;
        case 2:
          s += "\xE4\xB8\xAD";
          break;
        default:
          s += "\xF0\x9F\x98\x80";
      }
    }
    ASSERT_EQ(Quoted(s), Json(s).dump());
  }
}

TEST(JsonText, InvalidUtf8BecomesReplacementCharacter) {
  const std::string bad[] = {"\xFF",     "a\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                             "\xE2\x82", "\x80x"};
  for (const std::string& s : bad) {
    std::string q = Quoted(s);
    Json parsed = Json::parse(q, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << q;
    EXPECT_NE(parsed.get<std::string>().find("\xEF\xBF\xBD"), std::string::npos) << q;
  }
  EXPECT_EQ(Quoted("a\xFF"
                   "b"),
            "\"a\xEF\xBF\xBD"
            "b\"");
}

TEST(JsonText, NestedDocumentParsesToTheSameValues) {
  std::string out;
  JsonText j(out);
  j.BeginObject()
      .Key("a")
      .Int(-42)
      .Key("b")
      .BeginArray()
      .Bool(true)
      .Null()
      .String("x")
      .BeginObject()
      .EndObject()
      .BeginArray()
      .EndArray()
      .EndArray()
      .Key("c")
      .OptionalString(std::nullopt)
      .Key("d")
      .OptionalString(std::string("y"))
      .Key("e")
      .Raw("{\"k\":[1,2]}")
      .Key("f")
      .Time(absl::FromUnixMillis(1767225600123))
      .EndObject();
  Json expected = {{"a", -42},
                   {"b", Json::array({true, nullptr, "x", Json::object(), Json::array()})},
                   {"c", nullptr},
                   {"d", "y"},
                   {"e", {{"k", {1, 2}}}},
                   {"f", "2026-01-01T00:00:00.123Z"}};
  EXPECT_EQ(out, expected.dump());
}

TEST(JsonText, DeepNestingBeyondSixtyFourLevels) {
  std::string out;
  JsonText j(out);
  for (int i = 0; i < 100; ++i) j.BeginArray().Int(i);
  for (int i = 0; i < 100; ++i) j.EndArray();
  Json parsed = Json::parse(out, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << out;
  EXPECT_EQ(parsed[0], 0);
  EXPECT_EQ(parsed[1][0], 1);
}

TEST(TimeFormat, FastFormatMatchesAbseil) {
  std::mt19937_64 rng(11);
  std::vector<absl::Time> times = {
      absl::UnixEpoch(),
      absl::FromUnixMillis(-1),
      absl::FromUnixMicros(-1),
      absl::FromUnixMillis(951782400000),  // 2000-02-29
      absl::FromCivil(absl::CivilSecond(0, 1, 1), absl::UTCTimeZone()),
      absl::FromCivil(absl::CivilSecond(9999, 12, 31, 23, 59, 59), absl::UTCTimeZone()),
      absl::FromCivil(absl::CivilSecond(10000, 1, 1), absl::UTCTimeZone()),
      absl::FromCivil(absl::CivilSecond(-5, 1, 1), absl::UTCTimeZone())};
  for (int i = 0; i < 20000; ++i) {
    // Microseconds across years 0000-9999 and beyond.
    int64_t us = static_cast<int64_t>(rng() % 700000000000000000ull) - 350000000000000000ll;
    times.push_back(absl::FromUnixMicros(us));
  }
  for (absl::Time t : times) {
    ASSERT_EQ(FormatRfc3339(t), absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone()))
        << absl::ToUnixMicros(t);
  }
}

}  // namespace
}  // namespace convault
