#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace convault::testing {

// The first column of the first row of `sql` on `db`, as an integer; -1 when
// the query fails or has no row.
int64_t QueryInt(sqlite3* db, const char* sql);

// The same on the database file at `path`, opened read-only for the query.
int64_t QueryInt(const std::string& path, const char* sql);

}  // namespace convault::testing
