#pragma once

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "crypto/field_cipher.h"
#include "messaging/conversation_reader.h"
#include "nlohmann/json.hpp"
#include "store/store.h"

namespace convault {

// The text format of a transcript, a piece at a time: the heading (session
// id, start and, once ended, end time) then one line per entry. Render(...,
// "text") and the subject export both write it with these.
void AppendTranscriptTextHeading(std::string& out, std::string_view session_id,
                                 std::string_view started_at, const std::string* ended_at);
void AppendTranscriptTextLine(std::string& out, std::string_view at, std::string_view actor_type,
                              const std::string* actor_name, const std::string* text);

// Transcripts of sessions (docs/formats/transcript.md): rendered from the
// entries while a session is open ("kept current"), and once it has ended
// finalized: the document sealed under the end user's DEK and stored, read
// back from then on. Thread safety: safe for concurrent use.
class TranscriptService {
 public:
  TranscriptService(Store& store, crypto::FieldCipher& cipher, ConversationReader& reader,
                    Clock& clock)
      : store_(store), cipher_(cipher), reader_(reader), clock_(clock) {}

  // The transcript document: the final one of an ended session, else rendered now.
  // FailedPrecondition "key_destroyed" after erasure.
  absl::StatusOr<nlohmann::json> Document(const Session& session);
  // {content type, body} for format "json", "text" or "html"; InvalidArgument otherwise.
  absl::StatusOr<std::pair<std::string, std::string>> Render(const Session& session,
                                                             std::string_view format);
  // Seals and stores the final transcript of an ended session (idempotent).
  absl::Status Finalize(const Session& session);
  // Finalizes ended sessions that have none yet (after a crash or a sweep);
  // returns how many.
  absl::StatusOr<int> RunOnce();

 private:
  absl::StatusOr<nlohmann::json> Build(const Session& session);

  Store& store_;
  crypto::FieldCipher& cipher_;
  ConversationReader& reader_;
  Clock& clock_;
};

}  // namespace convault
