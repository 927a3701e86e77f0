#include "redact/pattern_set.h"

#include <hs/hs.h>

#include <atomic>

#include "absl/strings/str_cat.h"

namespace convault::redact {
namespace {

// No HS_FLAG_UTF8: Vectorscan leaves invalid UTF-8 undefined under it, and
// customer text may be anything. Patterns match bytes; the engine keeps
// spans on character boundaries.
unsigned Flags(const Pattern& p) {
  unsigned flags = 0;
  if (p.caseless) flags |= HS_FLAG_CASELESS;
  if (p.start_of_match) flags |= HS_FLAG_SOM_LEFTMOST;
  return flags;
}

// The scratch of this thread, grown to fit every set it has scanned.
struct ThreadScratch {
  hs_scratch_t* scratch = nullptr;
  uint64_t fitted_for = 0;  // serial of the last set it was checked against
  ~ThreadScratch() {
    if (scratch != nullptr) hs_free_scratch(scratch);
  }
};

}  // namespace

uint64_t PatternSet::NextSerial() {
  static std::atomic<uint64_t> serial{1};
  return serial.fetch_add(1);
}

absl::StatusOr<std::shared_ptr<const PatternSet>> PatternSet::Compile(
    const std::vector<Pattern>& patterns) {
  if (patterns.empty()) return absl::InvalidArgumentError("no patterns to compile");
  std::vector<const char*> expressions;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (const Pattern& p : patterns) {
    expressions.push_back(p.regex.c_str());
    flags.push_back(Flags(p));
    ids.push_back(p.id);
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  hs_error_t rc =
      hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                       static_cast<unsigned>(patterns.size()), HS_MODE_BLOCK, nullptr, &db, &error);
  if (rc != HS_SUCCESS) {
    std::string why = error != nullptr && error->message != nullptr ? error->message : "unknown";
    int which = error != nullptr ? error->expression : -1;
    hs_free_compile_error(error);
    if (which >= 0 && which < static_cast<int>(patterns.size())) {
      return absl::InvalidArgumentError(
          absl::StrCat("pattern ", patterns[which].id, " does not compile: ", why));
    }
    return absl::InvalidArgumentError(absl::StrCat("patterns do not compile: ", why));
  }
  return std::shared_ptr<const PatternSet>(new PatternSet(db, patterns.size()));
}

PatternSet::~PatternSet() { hs_free_database(db_); }

absl::Status PatternSet::Scan(std::string_view text, const OnMatch& on_match) const {
  thread_local ThreadScratch tls;
  if (tls.fitted_for != serial_) {
    // hs_alloc_scratch keeps an existing scratch when it is big enough.
    if (hs_alloc_scratch(db_, &tls.scratch) != HS_SUCCESS) {
      return absl::ResourceExhaustedError("cannot allocate scan scratch");
    }
    tls.fitted_for = serial_;
  }
  auto handler = [](unsigned int id, unsigned long long from, unsigned long long to, unsigned int,
                    void* ctx) -> int {
    (*static_cast<const OnMatch*>(ctx))(id, static_cast<size_t>(from), static_cast<size_t>(to));
    return 0;
  };
  hs_error_t rc = hs_scan(db_, text.data(), static_cast<unsigned>(text.size()), 0, tls.scratch,
                          handler, const_cast<OnMatch*>(&on_match));
  if (rc != HS_SUCCESS) return absl::InternalError(absl::StrCat("scan failed (", rc, ")"));
  return absl::OkStatus();
}

absl::Status ValidateCustomPattern(std::string_view regex) {
  if (regex.empty()) return absl::InvalidArgumentError("the pattern is empty");
  if (regex.size() > 1000) {
    return absl::InvalidArgumentError("the pattern is longer than 1,000 characters");
  }
  if (regex.find('\0') != std::string_view::npos) {
    return absl::InvalidArgumentError("the pattern contains a NUL character");
  }
  std::string expression(regex);
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* error = nullptr;
  hs_error_t rc = hs_expression_info(expression.c_str(), HS_FLAG_SOM_LEFTMOST, &info, &error);
  if (rc != HS_SUCCESS) {
    std::string why = error != nullptr && error->message != nullptr ? error->message : "unknown";
    hs_free_compile_error(error);
    return absl::InvalidArgumentError(absl::StrCat("the pattern cannot be used: ", why));
  }
  bool empty = info->min_width == 0;
  free(info);
  if (empty) {
    return absl::InvalidArgumentError(
        "the pattern can match the empty string; it must match at least one character");
  }
  // The rule set is compiled with this pattern among others; make sure it
  // also compiles on its own with the flags the engine uses.
  auto set = PatternSet::Compile({Pattern{expression, 0, false, true}});
  if (!set.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the pattern cannot be used: ", set.status().message()));
  }
  return absl::OkStatus();
}

}  // namespace convault::redact
