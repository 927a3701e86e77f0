// Writes the redaction benchmark corpus: DIR/corpus.txt (one message per line)
// and DIR/truth.jsonl (one ground-truth line per message). Format:
// docs/formats/redaction-corpus.md.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "CLI/CLI.hpp"
#include "corpus/corpus.h"

int main(int argc, char** argv) {
  CLI::App app("Writes a seeded customer-service chat corpus with ground truth");
  convault::bench::CorpusOptions options;
  std::string dir;
  app.add_option("--out", dir, "output folder")->required();
  app.add_option("--seed", options.seed, "generator seed");
  app.add_option("--messages", options.messages, "number of messages");
  CLI11_PARSE(app, argc, argv);

  std::filesystem::create_directories(dir);
  std::ofstream text(dir + "/corpus.txt", std::ios::binary);
  std::ofstream truth(dir + "/truth.jsonl", std::ios::binary);
  size_t bytes = 0, with_pii = 0, decoys = 0;
  for (const auto& m : convault::bench::GenerateCorpus(options)) {
    text << m.text << '\n';
    truth << convault::bench::TruthJson(m) << '\n';
    bytes += m.text.size();
    with_pii += m.truth.empty() ? 0 : 1;
    decoys += m.decoy ? 1 : 0;
  }
  if (!text.good() || !truth.good()) {
    std::cerr << "cannot write to " << dir << "\n";
    return 1;
  }
  std::printf("%zu messages, %.1f bytes average, %.1f%% with personal data, %.1f%% with decoys\n",
              options.messages, static_cast<double>(bytes) / options.messages,
              100.0 * with_pii / options.messages, 100.0 * decoys / options.messages);
  return 0;
}
