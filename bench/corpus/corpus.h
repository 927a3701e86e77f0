#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace convault::bench {

// One personal value placed in a message: the detector id that should find it
// and its byte span in the message.
struct PiiSpan {
  std::string type;
  size_t start = 0;
  size_t end = 0;
};

struct CorpusMessage {
  std::string text;            // one line: no '\n' or '\r'
  std::vector<PiiSpan> truth;  // empty for plain and decoy messages
  bool decoy = false;          // holds look-alikes that are not personal data
};

struct CorpusOptions {
  uint64_t seed = 1;
  size_t messages = 100000;
  double pii_share = 0.10;    // messages with personal data
  double decoy_share = 0.25;  // messages with look-alikes only
};

// A seeded, deterministic customer-service chat corpus (docs/formats/redaction-corpus.md):
// ~65 bytes per message on average; ~10% of messages carry personal data of every
// built-in detector type in its common formats, ~25% carry decoys (order numbers,
// 16-digit numbers failing Luhn, IBANs with bad check digits, dates without a
// birth context, prices, tracking numbers, zip codes, versions, ticket numbers).
// The valid values are built with their own check digits here, independently of
// the engine's validators.
std::vector<CorpusMessage> GenerateCorpus(const CorpusOptions& options);

// The ground truth of one message as a JSON line:
// {"pii":[{"type":"credit_card","start":12,"end":31}]}
std::string TruthJson(const CorpusMessage& message);

}  // namespace convault::bench
