#include "common/status.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/strings.h"

namespace convault {
namespace {
constexpr char kCodeUrl[] = "convault.dev/code";
constexpr char kFieldsUrl[] = "convault.dev/fields";
constexpr char kSep = '\x1f';
}  // namespace

absl::Status WithCode(absl::Status status, std::string_view code) {
  status.SetPayload(kCodeUrl, absl::Cord(Sv(code)));
  return status;
}

std::optional<std::string> ErrorCode(const absl::Status& status) {
  auto payload = status.GetPayload(kCodeUrl);
  if (!payload.has_value()) return std::nullopt;
  return std::string(*payload);
}

absl::Status InvalidField(std::string_view field, std::string_view message) {
  return InvalidFields({FieldError{std::string(field), std::string(message)}});
}

absl::Status InvalidFields(const std::vector<FieldError>& errors) {
  std::string summary;
  std::string encoded;
  for (const auto& e : errors) {
    if (!summary.empty()) summary += "; ";
    summary += e.field + ": " + e.message;
    encoded += e.field;
    encoded.push_back(kSep);
    encoded += e.message;
    encoded.push_back(kSep);
  }
  absl::Status status = absl::InvalidArgumentError(summary);
  status.SetPayload(kFieldsUrl, absl::Cord(encoded));
  return status;
}

std::vector<FieldError> FieldErrors(const absl::Status& status) {
  std::vector<FieldError> out;
  auto payload = status.GetPayload(kFieldsUrl);
  if (!payload.has_value()) return out;
  std::vector<std::string> parts = absl::StrSplit(std::string(*payload), kSep);
  for (size_t i = 0; i + 1 < parts.size(); i += 2) {
    out.push_back(FieldError{parts[i], parts[i + 1]});
  }
  return out;
}

}  // namespace convault
