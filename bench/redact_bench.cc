// Redaction benchmark (PERFORMANCE.md "Redaction"; issue 4): throughput on one
// core and precision/recall per detector against the corpus's ground truth,
// beside the npm peers' findings when bench/redact_peers.js has written them.
// Usage: redact_bench --corpus DIR (see bench/redact, which runs everything).
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "redact/detector.h"
#include "redact/policy.h"

namespace {

using Json = nlohmann::json;
using convault::redact::Policy;

struct Span {
  std::string type;
  size_t start, end;
};
using Spans = std::vector<std::vector<Span>>;  // per message

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

Spans ReadSpans(const std::string& path, const char* key) {
  Spans out;
  for (const std::string& line : ReadLines(path)) {
    std::vector<Span> spans;
    Json j = Json::parse(line, nullptr, false);
    if (!j.is_discarded()) {
      for (const Json& s : j[key]) {
        spans.push_back(
            {s["type"].get<std::string>(), s["start"].get<size_t>(), s["end"].get<size_t>()});
      }
    }
    out.push_back(std::move(spans));
  }
  return out;
}

struct Counts {
  size_t truth = 0, found = 0, true_pos = 0, recalled = 0;
};

// A finding is right when it overlaps a truth span of its type; a truth span is
// recalled when a finding of its type overlaps it. Only `types` are scored.
std::map<std::string, Counts> Score(const Spans& truth, const Spans& found, size_t messages,
                                    const std::set<std::string>& types) {
  std::map<std::string, Counts> c;
  auto overlaps = [](const Span& a, const Span& b) {
    return a.type == b.type && a.start < b.end && b.start < a.end;
  };
  for (size_t i = 0; i < messages; ++i) {
    for (const Span& t : truth[i]) {
      if (!types.contains(t.type)) continue;
      c[t.type].truth++;
      if (std::any_of(found[i].begin(), found[i].end(),
                      [&](const Span& f) { return overlaps(f, t); })) {
        c[t.type].recalled++;
      }
    }
    for (const Span& f : found[i]) {
      if (!types.contains(f.type)) continue;
      c[f.type].found++;
      if (std::any_of(truth[i].begin(), truth[i].end(),
                      [&](const Span& t) { return overlaps(f, t); })) {
        c[f.type].true_pos++;
      }
    }
  }
  return c;
}

struct Engine {
  std::string name;
  double seconds = 0;
  size_t messages = 0, bytes = 0;
  std::set<std::string> types;
  std::map<std::string, Counts> scores;
};

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Seconds for one pass of `policy` over `texts`, one engine call each (median of `reps`).
double Time(const Policy& policy, const std::vector<std::string>& texts, int reps,
            Spans* findings) {
  std::vector<double> times;
  convault::redact::RedactionScope scope;
  convault::redact::RedactionResult result;  // reused, as a server worker thread does
  for (int r = 0; r < reps; ++r) {
    size_t sink = 0;
    auto start = std::chrono::steady_clock::now();
    for (size_t i = 0; i < texts.size(); ++i) {
      absl::Status s = policy.RedactInto(texts[i], scope, &result);
      if (!s.ok()) {
        std::cerr << "redact failed: " << s << "\n";
        std::exit(1);
      }
      sink += result.text.size();
      if (r == 0 && findings != nullptr) {
        for (const auto& f : result.findings) {
          (*findings)[i].push_back({f.detector, f.start, f.end});
        }
      }
    }
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (sink == 0) std::cerr << "";
  }
  return Median(times);
}

void PrintThroughput(const Engine& e, const Engine* base) {
  double mbs = e.bytes / e.seconds / 1e6;
  std::printf("  %-34s %9zu msgs %10.0f msgs/s %9.2f MB/s", e.name.c_str(), e.messages,
              e.messages / e.seconds, mbs);
  if (base != nullptr)
    std::printf("   convault is %.0fx faster",
                (base->bytes / base->seconds) / (e.bytes / e.seconds));
  std::printf("\n");
}

std::string Ratio(size_t num, size_t den) {
  if (den == 0) return "   -  ";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%6.4f", static_cast<double>(num) / den);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Redaction throughput and precision/recall");
  std::string dir;
  int reps = 5;
  int cpu = 0;
  app.add_option("--corpus", dir, "folder with corpus.txt, truth.jsonl and peer-*.json")
      ->required();
  app.add_option("--repetitions", reps, "timed passes (median)");
  app.add_option("--cpu", cpu, "core to pin to (-1: none)");
  std::string dump;
  app.add_option("--dump", dump, "print misses and false alarms of one detector, then stop");
  bool portable = false;
  app.add_flag("--portable", portable, "scan without AVX-512, as on a CPU that lacks it");
  std::string only;
  app.add_option("--only", only,
                 "time one policy (all, or detector ids joined by commas) and stop: for perf");
  bool breakdown = false;
  app.add_flag("--breakdown", breakdown, "time each detector alone, then stop");
  CLI11_PARSE(app, argc, argv);
  if (portable) convault::redact::scan_internal::UseSimd(false);

  if (cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
  }
  std::vector<std::string> texts = ReadLines(dir + "/corpus.txt");
  Spans truth = ReadSpans(dir + "/truth.jsonl", "pii");
  if (texts.empty() || truth.size() != texts.size()) {
    std::cerr << "corpus.txt and truth.jsonl are missing or differ in length\n";
    return 1;
  }
  size_t bytes = 0;
  for (const auto& t : texts) bytes += t.size();

  std::set<std::string> all_types;
  for (const auto& d : convault::redact::BuiltinDetectors()) all_types.insert(std::string(d->id()));
  auto all = Policy::Compile(*convault::redact::RulesForDetectors({"all"}));
  auto defaults = Policy::Compile(convault::redact::DefaultRules());
  if (!all.ok() || !defaults.ok()) return 1;

  if (!only.empty()) {
    auto one = Policy::Compile(*convault::redact::RulesForDetectors(absl::StrSplit(only, ',')));
    if (!one.ok()) return 1;
    double t = Time(**one, texts, reps, nullptr);
    std::printf("  %-16s %8.1f ns/msg\n", only.c_str(), t * 1e9 / texts.size());
    return 0;
  }
  if (breakdown) {  // where the time of "all" goes: one policy per detector
    auto none = Policy::Compile({});
    double base = Time(**none, texts, reps, nullptr);
    std::printf("  %-16s %8.1f ns/msg\n", "(no rules)", base * 1e9 / texts.size());
    for (const auto& d : convault::redact::BuiltinDetectors()) {
      auto one = Policy::Compile(*convault::redact::RulesForDetectors({std::string(d->id())}));
      if (!one.ok()) return 1;
      double t = Time(**one, texts, reps, nullptr);
      std::printf("  %-16s %8.1f ns/msg\n", std::string(d->id()).c_str(), t * 1e9 / texts.size());
    }
    double t = Time(**all, texts, reps, nullptr);
    std::printf("  %-16s %8.1f ns/msg\n", "all", t * 1e9 / texts.size());
    return 0;
  }

  Engine ours{"convault, all 12 detectors", 0, texts.size(), bytes, all_types, {}};
  Spans found(texts.size());
  ours.seconds = Time(**all, texts, reps, &found);
  ours.scores = Score(truth, found, texts.size(), all_types);
  if (!dump.empty()) {  // examples of misses and false alarms for one type
    int shown = 0;
    for (size_t i = 0; i < texts.size() && shown < 40; ++i) {
      auto has = [&](const std::vector<Span>& v, const Span& s) {
        return std::any_of(v.begin(), v.end(), [&](const Span& o) {
          return o.type == s.type && o.start < s.end && s.start < o.end;
        });
      };
      for (const Span& t : truth[i]) {
        if (t.type == dump && !has(found[i], t)) {
          std::printf("MISS  %s\n", texts[i].c_str());
          ++shown;
        }
      }
      for (const Span& f : found[i]) {
        if (f.type == dump && !has(truth[i], f)) {
          std::printf("FALSE %s  [%s]\n", texts[i].c_str(),
                      texts[i].substr(f.start, f.end - f.start).c_str());
          ++shown;
        }
      }
    }
    return 0;
  }

  // All but phone: libphonenumber's validation is the largest single cost.
  auto rules_but_phone = *convault::redact::RulesForDetectors({"all"});
  std::erase_if(rules_but_phone, [](const auto& r) { return r.detector == "phone"; });
  auto but_phone = Policy::Compile(rules_but_phone);
  if (!but_phone.ok()) return 1;
  Engine ours_but_phone{"convault, all but phone", 0, texts.size(), bytes, {}, {}};
  ours_but_phone.seconds = Time(**but_phone, texts, reps, nullptr);

  Engine ours_default{"convault, defaults (card, SSN)", 0, texts.size(), bytes, {}, {}};
  ours_default.seconds = Time(**defaults, texts, reps, nullptr);

  // Whole transcripts: 20 messages joined by newlines, one call each.
  std::vector<std::string> transcripts;
  for (size_t i = 0; i < texts.size(); i += 20) {
    std::string t;
    for (size_t j = i; j < std::min(texts.size(), i + 20); ++j) t += texts[j] + "\n";
    transcripts.push_back(std::move(t));
  }
  Engine ours_transcripts{
      "convault, all, 20-message transcripts", 0, texts.size(), bytes + texts.size(), {}, {}};
  ours_transcripts.seconds = Time(**all, transcripts, reps, nullptr);

  std::vector<Engine> peers;
  for (const char* name : {"redact-pii", "@redactpii/node", "@openredaction/openredaction"}) {
    std::string file = name;
    std::replace(file.begin(), file.end(), '/', '_');
    std::ifstream meta_in(dir + "/peer-" + file + ".json");
    if (!meta_in) continue;
    Json meta = Json::parse(meta_in, nullptr, false);
    if (meta.is_discarded()) continue;
    Engine e;
    e.name = std::string(name) + " " + meta.value("version", "");
    e.seconds = meta["seconds"].get<double>();
    e.messages = meta["messages"].get<size_t>();
    e.bytes = 0;
    for (size_t i = 0; i < e.messages && i < texts.size(); ++i) e.bytes += texts[i].size();
    for (const auto& t : meta["types"]) e.types.insert(t.get<std::string>());
    Spans peer = ReadSpans(dir + "/peer-" + file + ".jsonl", "f");
    peer.resize(texts.size());
    e.scores = Score(truth, peer, std::min(e.messages, texts.size()), e.types);
    peers.push_back(std::move(e));
  }

  std::printf("corpus: %zu messages, %.1f MB, %.1f bytes per message\n", texts.size(), bytes / 1e6,
              static_cast<double>(bytes) / texts.size());
  std::printf("throughput, one core%s, median of %d:\n", cpu >= 0 ? " (pinned)" : "", reps);
  PrintThroughput(ours, nullptr);
  PrintThroughput(ours_but_phone, nullptr);
  PrintThroughput(ours_default, nullptr);
  PrintThroughput(ours_transcripts, nullptr);
  for (const Engine& p : peers) PrintThroughput(p, &ours);

  std::printf(
      "\nprecision / recall per detector (overlap with a ground-truth span of the same type):\n");
  std::printf("  %-14s %7s  %-15s", "detector", "truth", "convault");
  for (const Engine& p : peers) std::printf("  %-15.15s", p.name.c_str());
  std::printf("\n");
  for (const std::string& type : all_types) {
    const Counts& c = ours.scores[type];
    std::printf("  %-14s %7zu  %s %s", type.c_str(), c.truth, Ratio(c.true_pos, c.found).c_str(),
                Ratio(c.recalled, c.truth).c_str());
    for (Engine& p : peers) {
      if (!p.types.contains(type)) {
        std::printf("  %-15s", "   (none)");
        continue;
      }
      const Counts& pc = p.scores[type];
      std::printf("  %s %s", Ratio(pc.true_pos, pc.found).c_str(),
                  Ratio(pc.recalled, pc.truth).c_str());
    }
    std::printf("\n");
  }
  std::printf("  (each column: precision recall; '-' when nothing was found or expected)\n");
  return 0;
}
