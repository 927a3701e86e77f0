#pragma once

#include <string>

namespace convault::testing {

// The table an EXPLAIN QUERY PLAN line reads whole ("SCAN entries"), or ""
// when the line searches or scans through an index, or reads a constant row
// or a subquery's result.
std::string ScannedTable(const std::string& plan_line);

// True for the tables that may be read whole: they stay small whatever the
// traffic (configuration, one row per tenant, key or rule).
bool MayScan(const std::string& table);

}  // namespace convault::testing
