// A restart keeps data and does not initialize again.
#include <sys/stat.h>

#include "gtest/gtest.h"
#include "support/problem_matchers.h"
#include "support/temp_dir.h"
#include "support/test_server.h"

namespace convault {
namespace {

using testing::TempDir;
using testing::TestServer;

TEST(Restart, KeysAndTenantsSurviveAndTheDirIsNotReinitialized) {
  TempDir dir;
  std::string admin;
  std::string bot_id;
  std::string bot_key;
  std::string admin_file;
  {
    TestServer first(nullptr, dir.path());
    admin = first.admin_key();
    ASSERT_FALSE(admin.empty());
    std::tie(bot_id, bot_key) = first.CreateKey(admin, {"bot"});
    first.CreateTenant("second");
    admin_file = testing::ReadFileOrEmpty(dir.File("admin.key"));
    EXPECT_EQ(admin_file, admin + "\n");
  }
  TestServer again(nullptr, dir.path());
  EXPECT_TRUE(again.admin_key().empty());  // no new admin key: already initialized
  EXPECT_EQ(testing::ReadFileOrEmpty(dir.File("admin.key")), admin_file);
  EXPECT_EQ(again.client().Get("/v1/api-keys/" + bot_id, admin).status, 200);
  testing::ExpectProblem(again.client().Get("/v1/api-keys", bot_key), 403, "forbidden");
  auto tenants = again.app().store().ListTenants();
  ASSERT_TRUE(tenants.ok());
  EXPECT_EQ(tenants->size(), 2u);
  EXPECT_EQ(again.client().Get("/readyz").status, 200);
}

TEST(Restart, AdminKeyFileIsPrivate) {
  TestServer server;
  struct stat st {};
  ASSERT_EQ(stat((server.data_dir() + "/admin.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
}

}  // namespace
}  // namespace convault
