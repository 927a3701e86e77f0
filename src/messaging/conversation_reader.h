#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/json_text.h"
#include "crypto/field_cipher.h"
#include "model/channel.h"
#include "store/store.h"

namespace convault {

// An entry with its sealed fields opened (the text is the masked text that
// was stored). A field is absent when empty, or when the end user was erased
// (their key destroyed).
struct OpenedEntry {
  Entry entry;
  std::optional<std::string> actor_name;
  std::optional<std::string> text;
  std::optional<std::string> payload_json;
};

struct OpenedEndUser {
  EndUser end_user;
  std::optional<std::string> platform_key;
  std::optional<std::string> name;
  std::optional<std::string> profile_picture_url;
};

struct OpenedParticipant {
  Participant participant;
  std::optional<std::string> display_name;
};

struct OpenedContext {
  std::string id;
  std::optional<std::string> key;
  std::optional<std::string> value;
};

// Reads conversations for the API: loads rows of one tenant and opens their
// sealed fields with the subject's key. Thread safety: safe for concurrent use.
// An opened entry as the API and the exports show it, written as the next
// value of `j` (compact, members in name order).
void AppendEntryJson(JsonText& j, const OpenedEntry& entry);

class ConversationReader {
 public:
  ConversationReader(Store& store, crypto::FieldCipher& cipher) : store_(store), cipher_(cipher) {}

  absl::StatusOr<OpenedEndUser> EndUser(std::string_view tenant_id, std::string_view end_user_id);
  // The end user of `channel` with this platform key (the blind index, then
  // compare), or NotFound.
  absl::StatusOr<OpenedEndUser> FindEndUser(const Channel& channel, std::string_view platform_key,
                                            std::string_view region, uint64_t token);
  absl::StatusOr<std::vector<OpenedEntry>> Entries(const Session& session, int64_t after_seq,
                                                   int limit);
  // One entry, opened.
  OpenedEntry OpenEntry(Entry entry);
  // One entry of a page, opened with the page's opener (one key lookup per page).
  OpenedEntry OpenEntry(Entry entry, crypto::FieldCipher::SubjectOpener& opener);
  // Every entry of the session in seq order, opened, a page at a time.
  absl::Status ForEachEntry(const Session& session,
                            const std::function<absl::Status(const OpenedEntry&)>& fn);
  absl::StatusOr<std::vector<OpenedParticipant>> Participants(const Session& session);
  absl::StatusOr<std::vector<OpenedContext>> Context(const Session& session);

 private:
  // A field of the opener's subject, or nullopt when empty or unreadable.
  static std::optional<std::string> Open(crypto::FieldCipher::SubjectOpener& opener,
                                         const std::string& tenant, std::string_view type,
                                         const std::string& id, std::string_view field,
                                         const std::string& subject, const std::string& sealed);

  Store& store_;
  crypto::FieldCipher& cipher_;
};

}  // namespace convault
