// The benchmark corpus generator (bench/corpus) and the engine against its
// ground truth on a seeded sample: the accuracy bench/redact reports, held as
// a test so that a detector change that costs precision or recall fails here.
#include "corpus/corpus.h"

#include <map>
#include <set>

#include "gtest/gtest.h"
#include "redact/policy.h"

namespace convault::bench {
namespace {

TEST(Corpus, IsDeterministicAndShapedLikeChat) {
  CorpusOptions options;
  options.seed = 42;
  options.messages = 20000;
  auto a = GenerateCorpus(options);
  auto b = GenerateCorpus(options);
  ASSERT_EQ(a.size(), 20000u);
  size_t bytes = 0, with_pii = 0, decoys = 0;
  std::set<std::string> types;
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].text, b[i].text);
    EXPECT_EQ(a[i].text.find('\n'), std::string::npos);
    bytes += a[i].text.size();
    with_pii += a[i].truth.empty() ? 0 : 1;
    decoys += a[i].decoy ? 1 : 0;
    for (const PiiSpan& s : a[i].truth) {
      ASSERT_LT(s.start, s.end);
      ASSERT_LE(s.end, a[i].text.size());
      types.insert(s.type);
    }
  }
  double average = static_cast<double>(bytes) / a.size();
  EXPECT_GT(average, 55);
  EXPECT_LT(average, 80);
  EXPECT_NEAR(static_cast<double>(with_pii) / a.size(), 0.10, 0.02);
  EXPECT_NEAR(static_cast<double>(decoys) / a.size(), 0.25, 0.02);
  std::set<std::string> builtin;
  for (const auto& d : redact::BuiltinDetectors()) builtin.insert(std::string(d->id()));
  EXPECT_EQ(types, builtin);  // every built-in type appears
  options.seed = 43;
  EXPECT_NE(GenerateCorpus(options)[0].text + GenerateCorpus(options)[1].text,
            a[0].text + a[1].text);
}

TEST(Corpus, EveryDetectorMeetsItsPrecisionAndRecallTargets) {
  CorpusOptions options;
  options.seed = 7;
  options.messages = 30000;
  auto corpus = GenerateCorpus(options);
  auto policy = *redact::Policy::Compile(*redact::RulesForDetectors({"all"}));
  struct Counts {
    int truth = 0, recalled = 0, found = 0, right = 0;
  };
  std::map<std::string, Counts> counts;
  for (const CorpusMessage& m : corpus) {
    auto result = policy->Redact(m.text, {});
    ASSERT_TRUE(result.ok());
    auto overlaps = [](const std::string& type, size_t s, size_t e, const PiiSpan& t) {
      return type == t.type && s < t.end && t.start < e;
    };
    for (const PiiSpan& t : m.truth) {
      ++counts[t.type].truth;
      for (const auto& f : result->findings) {
        if (overlaps(f.detector, f.start, f.end, t)) {
          ++counts[t.type].recalled;
          break;
        }
      }
    }
    for (const auto& f : result->findings) {
      ++counts[f.detector].found;
      for (const PiiSpan& t : m.truth) {
        if (overlaps(f.detector, f.start, f.end, t)) {
          ++counts[f.detector].right;
          break;
        }
      }
    }
  }
  for (const auto& [type, c] : counts) {
    double target = type == "phone" ? 0.97 : 0.99;
    ASSERT_GT(c.truth, 0) << type;
    EXPECT_GE(static_cast<double>(c.recalled) / c.truth, target) << type << " recall";
    EXPECT_GE(static_cast<double>(c.right) / c.found, target) << type << " precision";
  }
}

}  // namespace
}  // namespace convault::bench
