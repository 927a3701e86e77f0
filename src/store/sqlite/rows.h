// Reading result rows of a prepared statement into model values.
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "common/status.h"
#include "common/time_format.h"
#include "store/sqlite/connection.h"
#include "store/store.h"

namespace convault::sqlite {

// The minute of a session's last activity, which the sweep indexes name
// instead of the exact time (migrations/data/0018_activity_minute.sql).
// Monotone in `t`: a time before a cutoff has a minute at most the cutoff's.
inline int64_t ActivityMinute(absl::Time t) { return ToStorageMicros(t) / 60'000'000; }

// Every row of a prepared query, converted by `from_row`.
template <typename T, typename FromRow>
absl::StatusOr<std::vector<T>> Collect(Statement& q, FromRow from_row) {
  std::vector<T> out;
  while (true) {
    CV_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(from_row(q));
  }
  return out;
}

// A page of a list: the query asks for `limit` + 1 rows; the extra one only
// says there is more, and the cursor is the id of the last row kept.
template <typename T, typename FromRow>
absl::StatusOr<Page<T>> ReadPage(Statement& q, int limit, FromRow from_row) {
  Page<T> page;
  CV_ASSIGN_OR_RETURN(page.items, Collect<T>(q, from_row));
  if (page.items.size() > static_cast<size_t>(limit)) {
    page.items.pop_back();
    page.next_cursor = page.items.back().id;
  }
  return page;
}

}  // namespace convault::sqlite
