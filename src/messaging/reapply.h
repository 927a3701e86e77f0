#pragma once

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/ids.h"
#include "crypto/field_cipher.h"
#include "messaging/rule_service.h"
#include "messaging/transcripts.h"
#include "store/store.h"

namespace convault {

// POST /v1/sensitive-data-rules/reapply: a resumable job that re-masks stored
// history with the tenant's current rules (docs/messaging.md "Re-apply"):
// entries (message and payload strings), context values, then final
// transcripts, each opened, masked, and sealed again when it changed. The
// job's cursor ("e:<entry id>", "c:<context id>", "t:<session id>") is saved
// after every batch, so a restart continues where it stopped (a batch redone
// changes nothing: masked text stays masked). Entries record the rule-set
// version they were masked with. Erased subjects are skipped.
class ReapplyService {
 public:
  ReapplyService(Store& store, crypto::FieldCipher& cipher, RuleService& rules,
                 TranscriptService& transcripts, Clock& clock, IdGenerator& ids)
      : store_(store),
        cipher_(cipher),
        rules_(rules),
        transcripts_(transcripts),
        clock_(clock),
        ids_(ids) {}

  absl::StatusOr<Job> Start(std::string_view tenant_id);
  // One batch of every running job; returns how many jobs moved.
  absl::StatusOr<int> RunOnce(int batch = 200);

 private:
  absl::Status Step(Job& job, int batch);

  Store& store_;
  crypto::FieldCipher& cipher_;
  RuleService& rules_;
  TranscriptService& transcripts_;
  Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace convault
