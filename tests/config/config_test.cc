#include "config/config.h"

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/temp_dir.h"

namespace convault {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

std::string Write(const TempDir& dir, const std::string& name, const std::string& text) {
  std::string path = dir.File(name);
  std::ofstream(path) << text;
  return path;
}

TEST(Config, DefaultsMatchTheDocumentation) {
  auto c = LoadConfig({});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->data_dir, "convault-data");
  EXPECT_EQ(c->http.listen.host, "127.0.0.1");
  EXPECT_EQ(c->http.listen.port, 8080);
  EXPECT_EQ(c->http.max_body_bytes, 1 << 20);
  EXPECT_EQ(c->log.level, "info");
}

TEST(Config, FlagsBeatEnvironmentWhichBeatsTheFile) {
  TempDir dir;
  std::string file = Write(dir, "c.toml",
                           "listen = \"127.0.0.1:7000\"\n"
                           "[http]\nmax_body_bytes = 4096\nheader_timeout_ms = 111\n"
                           "[log]\nlevel = \"warn\"\n");
  ConfigSources s;
  s.config_file = file;
  s.env = {{"CONVAULT_HTTP_MAX_BODY_BYTES", "8192"}, {"CONVAULT_LISTEN", "127.0.0.1:7001"}};
  s.flags = {{"listen", "[::1]:7002"}};
  auto c = LoadConfig(s);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->http.listen.host, "::1");
  EXPECT_EQ(c->http.listen.port, 7002);
  EXPECT_EQ(c->http.max_body_bytes, 8192);
  EXPECT_EQ(c->http.header_timeout_ms, 111);
  EXPECT_EQ(c->log.level, "warn");
  EXPECT_EQ(c->config_file, file);
}

TEST(Config, ReadsConvaultTomlFromTheDataDirectory) {
  TempDir dir;
  Write(dir, "convault.toml", "[store]\nmax_batch = 7\n");
  ConfigSources s;
  s.flags = {{"data_dir", dir.path()}};
  auto c = LoadConfig(s);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->store.max_batch, 7);
}

TEST(Config, OutOfRangeValueNamesTheFieldAndTheSource) {
  ConfigSources s;
  s.env = {{"CONVAULT_HTTP_MAX_BODY_BYTES", "5"}};
  auto c = LoadConfig(s);
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(
      std::string(c.status().message()),
      HasSubstr("http.max_body_bytes (from CONVAULT_HTTP_MAX_BODY_BYTES): must be between"));
}

TEST(Config, NonNumericEnvironmentValueIsRefused) {
  ConfigSources s;
  s.env = {{"CONVAULT_HTTP_HANDLER_THREADS", "lots"}};
  auto c = LoadConfig(s);
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(
      std::string(c.status().message()),
      HasSubstr("http.handler_threads (from CONVAULT_HTTP_HANDLER_THREADS): expected an integer"));
}

TEST(Config, UnknownFileFieldIsRefusedByName) {
  TempDir dir;
  ConfigSources s;
  s.config_file = Write(dir, "c.toml", "[http]\nmax_body = 10\n");
  auto c = LoadConfig(s);
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("http.max_body"));
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("unknown field"));
}

TEST(Config, WrongTypeInFileIsRefused) {
  TempDir dir;
  ConfigSources s;
  s.config_file = Write(dir, "c.toml", "[http]\nmax_body_bytes = \"big\"\n");
  auto c = LoadConfig(s);
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()),
              HasSubstr("http.max_body_bytes (from " + *s.config_file + "): expected an integer"));
}

TEST(Config, SyntaxErrorGivesFileLineAndColumn) {
  TempDir dir;
  ConfigSources s;
  s.config_file = Write(dir, "c.toml", "[http\n");
  auto c = LoadConfig(s);
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()), HasSubstr(*s.config_file + ":1:"));
}

TEST(Config, MissingExplicitFileIsAnError) {
  ConfigSources s;
  s.config_file = "/nonexistent/convault.toml";
  auto c = LoadConfig(s);
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("does not exist"));
}

TEST(Config, BadListenAddressAndLogLevelAreNamed) {
  for (auto [field, value, expect] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"listen", "localhost", "listen (from flag --listen)"},
           {"listen", "127.0.0.1:99999", "port must be"},
           {"listen", "::1:80", "IPv6"},
           {"log.level", "loud", "log.level"},
           {"store.url", "mysql://x", "store.url"},
           {"data_dir", "", "data_dir"}}) {
    ConfigSources s;
    s.flags = {{field, value}};
    auto c = LoadConfig(s);
    ASSERT_FALSE(c.ok()) << field << "=" << value;
    EXPECT_THAT(std::string(c.status().message()), HasSubstr(expect));
  }
}

TEST(Config, UnrelatedEnvironmentVariablesAreIgnored) {
  ConfigSources s;
  s.env = {{"CONVAULT_PG_URL", "postgres://x"}, {"CONVAULT_DATA", "/srv/cv"}};
  auto c = LoadConfig(s);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->data_dir, "/srv/cv");
}

TEST(Config, EveryFieldHasAnEnvironmentVariable) {
  for (const auto& f : ConfigFields()) {
    EXPECT_EQ(f.env.rfind("CONVAULT_", 0), 0u) << f.name;
    EXPECT_FALSE(f.description.empty()) << f.name;
  }
}

}  // namespace
}  // namespace convault
