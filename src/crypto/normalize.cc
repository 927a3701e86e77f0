#include "crypto/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>

#include "absl/strings/ascii.h"
#include "common/strings.h"
#include "phonenumbers/phonenumberutil.h"

namespace convault::crypto {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

bool ValidUtf8(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  int32_t length = 0;
  u_strFromUTF8(nullptr, 0, &length, s.data(), static_cast<int32_t>(s.size()), &status);
  return status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING ||
         U_SUCCESS(status);
}

std::string_view Trim(std::string_view s) { return StdSv(absl::StripAsciiWhitespace(Sv(s))); }

}  // namespace

absl::StatusOr<std::string> NormalizePhone(std::string_view text, std::string_view region) {
  if (text.size() > 64 || !ValidUtf8(text)) return absl::InvalidArgumentError("not a phone number");
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  if (util.Parse(std::string(text), std::string(region), &number) !=
          PhoneNumberUtil::NO_PARSING_ERROR ||
      !util.IsPossibleNumber(number)) {
    return absl::InvalidArgumentError("not a phone number");
  }
  std::string out;
  util.Format(number, PhoneNumberUtil::E164, &out);
  return out;
}

absl::StatusOr<std::string> NormalizeEmail(std::string_view text) {
  std::string_view t = Trim(text);
  size_t at = t.find('@');
  if (t.size() > 320 || at == std::string_view::npos || at == 0 || at + 1 == t.size() ||
      t.find('@', at + 1) != std::string_view::npos || !ValidUtf8(t)) {
    return absl::InvalidArgumentError("not an email address");
  }
  for (char c : t) {
    if (static_cast<unsigned char>(c) <= 0x20)
      return absl::InvalidArgumentError("not an email address");
  }
  return absl::AsciiStrToLower(Sv(t));
}

namespace {

// NFKC with case folding and white space collapsed (NormalizeName without its limits).
absl::StatusOr<std::string> Fold(std::string_view text) {
  bool ascii = true;
  for (char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) {  // the same result without ICU: lower case, white space 0x09-0x0D and 0x20
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    for (char c : text) {
      if (c == ' ' || (c >= '\t' && c <= '\r')) {
        pending_space = !out.empty();
        continue;
      }
      if (pending_space) out += ' ';
      pending_space = false;
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) return absl::InternalError("unicode normalizer unavailable");
  icu::UnicodeString folded =
      nfkc_cf->normalize(icu::UnicodeString::fromUTF8(
                             icu::StringPiece(text.data(), static_cast<int32_t>(text.size()))),
                         status);
  if (U_FAILURE(status)) return absl::InvalidArgumentError("not a name");
  icu::UnicodeString collapsed;
  bool pending_space = false;
  for (int32_t i = 0; i < folded.length();) {
    UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    if (u_isUWhiteSpace(c)) {
      pending_space = !collapsed.isEmpty();
      continue;
    }
    if (pending_space) collapsed.append(static_cast<UChar>(' '));
    pending_space = false;
    collapsed.append(c);
  }
  std::string out;
  collapsed.toUTF8String(out);
  return out;
}

// A byte that can be part of a word: ASCII letters and digits, and every
// byte of a non-ASCII character.
bool IsWordByte(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
}

}  // namespace

absl::StatusOr<std::string> NormalizeName(std::string_view text) {
  if (text.size() > 4096 || !ValidUtf8(text)) return absl::InvalidArgumentError("not a name");
  auto out = Fold(text);
  if (!out.ok()) return out.status();
  if (out->empty()) return absl::InvalidArgumentError("not a name");
  return out;
}

bool MentionsName(std::string_view text, std::string_view normalized_name) {
  if (normalized_name.empty() || !ValidUtf8(text)) return false;
  auto folded = Fold(text);
  if (!folded.ok()) return false;
  for (size_t at = folded->find(normalized_name); at != std::string::npos;
       at = folded->find(normalized_name, at + 1)) {
    size_t end = at + normalized_name.size();
    if ((at == 0 || !IsWordByte((*folded)[at - 1])) &&
        (end == folded->size() || !IsWordByte((*folded)[end]))) {
      return true;
    }
  }
  return false;
}

absl::StatusOr<std::string> NormalizePlatformId(std::string_view text) {
  std::string_view t = Trim(text);
  if (t.empty() || t.size() > 512 || !ValidUtf8(t)) {
    return absl::InvalidArgumentError("not a platform id");
  }
  return absl::AsciiStrToLower(Sv(t));
}

}  // namespace convault::crypto
