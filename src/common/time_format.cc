#include "common/time_format.h"

#include "absl/status/status.h"

namespace convault {

namespace {

constexpr const char* kFormat = "%Y-%m-%dT%H:%M:%E3SZ";

// Writes `v` as exactly `width` decimal digits at `p`.
void Digits(char* p, int64_t v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
}

}  // namespace

std::string FormatRfc3339(absl::Time t) {
  std::string out;
  AppendRfc3339(out, t);
  return out;
}

void AppendRfc3339(std::string& out, absl::Time t) {
  // Civil date from days since the epoch (H. Hinnant's days_from_civil
  // inverse); absl::FormatTime for years outside 1000-9999 (written unpadded).
  static const absl::Time kMin =
      absl::FromCivil(absl::CivilSecond(1000, 1, 1), absl::UTCTimeZone());
  static const absl::Time kMax =
      absl::FromCivil(absl::CivilSecond(10000, 1, 1), absl::UTCTimeZone());
  if (t < kMin || t >= kMax) {
    out += absl::FormatTime(kFormat, t, absl::UTCTimeZone());
    return;
  }
  int64_t ms = absl::ToUnixMillis(t);
  int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86400000 - 1) / 86400000);
  int64_t in_day = ms - days * 86400000;
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t day = doy - (153 * mp + 2) / 5 + 1;
  int64_t month = mp < 10 ? mp + 3 : mp - 9;
  int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  char buf[25] = "0000-00-00T00:00:00.000Z";
  Digits(buf, year, 4);
  Digits(buf + 5, month, 2);
  Digits(buf + 8, day, 2);
  Digits(buf + 11, in_day / 3600000, 2);
  Digits(buf + 14, in_day / 60000 % 60, 2);
  Digits(buf + 17, in_day / 1000 % 60, 2);
  Digits(buf + 20, in_day % 1000, 3);
  out.append(buf, 24);
}

absl::StatusOr<absl::Time> ParseRfc3339(std::string_view text) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, std::string(text), &t, &err)) {
    return absl::InvalidArgumentError("not an RFC 3339 time");
  }
  return t;
}

}  // namespace convault
