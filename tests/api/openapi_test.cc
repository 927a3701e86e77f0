// api/openapi.yaml describes every route the server registers.
#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "gtest/gtest.h"
#include "support/test_server.h"

namespace convault {
namespace {

// The methods listed under each path of the spec: "  /path:" then "    get:".
std::map<std::string, std::set<std::string>> SpecRoutes(const std::string& path) {
  std::ifstream in(path);
  std::map<std::string, std::set<std::string>> out;
  std::string line;
  std::string current;
  bool in_paths = false;
  while (std::getline(in, line)) {
    if (line == "paths:") {
      in_paths = true;
      continue;
    }
    if (!in_paths) continue;
    if (!line.empty() && line[0] != ' ') break;  // next top-level section
    if (line.size() > 3 && line.rfind("  /", 0) == 0 && line.back() == ':') {
      current = line.substr(2, line.size() - 3);
    } else if (line.size() > 5 && line.rfind("    ", 0) == 0 && line[4] != ' ' &&
               line.back() == ':') {
      out[current].insert(absl::AsciiStrToUpper(line.substr(4, line.size() - 5)));
    }
  }
  return out;
}

TEST(OpenApi, EveryRegisteredRouteIsDescribed) {
  auto spec = SpecRoutes(std::string(CONVAULT_SOURCE_DIR) + "/api/openapi.yaml");
  ASSERT_FALSE(spec.empty());
  testing::TestServer server;
  for (const Route& r : server.app().router().routes()) {
    ASSERT_TRUE(spec.count(r.pattern)) << r.pattern << " is missing from api/openapi.yaml";
    EXPECT_TRUE(spec[r.pattern].count(r.method)) << r.method << " " << r.pattern;
  }
}

}  // namespace
}  // namespace convault
