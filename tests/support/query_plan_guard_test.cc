// The plan lines the query plan guard (query_plan_guard.cc) refuses.
#include "support/query_plan_guard.h"

#include "gtest/gtest.h"

namespace convault::testing {
namespace {

TEST(QueryPlanGuard, FindsAWholeTableRead) {
  EXPECT_EQ(ScannedTable("SCAN entries"), "entries");
  EXPECT_EQ(ScannedTable("SCAN e"), "e");  // under an alias
}

TEST(QueryPlanGuard, FindsAWholeTenantRead) {
  EXPECT_EQ(ScannedTable("SEARCH sessions USING PRIMARY KEY (tenant_id=?)"), "sessions");
  EXPECT_EQ(ScannedTable("SEARCH s USING INDEX sessions_by_end_user (tenant_id=?)"), "s");
}

TEST(QueryPlanGuard, LetsIndexedReadsThrough) {
  EXPECT_EQ(ScannedTable("SEARCH entries USING INDEX entries_in_order (tenant_id=? AND "
                         "session_id=?)"),
            "");
  EXPECT_EQ(ScannedTable("SCAN sessions USING INDEX sessions_to_sweep"), "");
  EXPECT_EQ(ScannedTable("SEARCH sessions USING PRIMARY KEY (tenant_id=? AND id>?)"), "");
  EXPECT_EQ(ScannedTable("SCAN b USING COVERING INDEX blind_index_by_subject"), "");
  EXPECT_EQ(ScannedTable("SCAN CONSTANT ROW"), "");
  EXPECT_EQ(ScannedTable("USE TEMP B-TREE FOR ORDER BY"), "");
}

TEST(QueryPlanGuard, CountsAndEndsOfATenantMayReadTheTenant) {
  EXPECT_TRUE(ReadsTenantByDesign("SELECT COUNT(*) FROM wrapped_keys WHERE tenant_id = ?"));
  EXPECT_TRUE(ReadsTenantByDesign(
      "SELECT seq, hash FROM audit_log WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1"));
  EXPECT_FALSE(ReadsTenantByDesign("SELECT id FROM tokens WHERE tenant_id = ? AND value = ?"));
  EXPECT_FALSE(ReadsTenantByDesign("SELECT id FROM entries WHERE tenant_id = ? LIMIT 1"));
}

TEST(QueryPlanGuard, OnlySmallTablesMayBeReadWhole) {
  EXPECT_TRUE(MayScan("channels"));
  EXPECT_TRUE(MayScan("tenants"));
  EXPECT_FALSE(MayScan("entries"));
  EXPECT_FALSE(MayScan("blind_index"));
  EXPECT_FALSE(MayScan("end_users"));
}

}  // namespace
}  // namespace convault::testing
