#pragma once

#include <string>

namespace convault::testing {

// The table an EXPLAIN QUERY PLAN line reads whole ("SCAN entries") or for a
// whole tenant ("SEARCH entries USING PRIMARY KEY (tenant_id=?)"), or "" when
// the line searches by more than the tenant, scans through an index, or reads
// a constant row or a subquery's result.
std::string ScannedTable(const std::string& plan_line);

// True for the tables that may be read whole: they stay small whatever the
// traffic (configuration, one row per tenant, key or rule).
bool MayScan(const std::string& table);
// True for statements that read a whole tenant's rows by design: a count, or
// the one row at an end of the tenant's range (ORDER BY ... LIMIT 1).
bool ReadsTenantByDesign(const std::string& sql);

}  // namespace convault::testing
