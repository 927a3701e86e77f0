#include "common/log.h"

#include <atomic>
#include <memory>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/time_format.h"
#include "nlohmann/json.hpp"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace convault::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};

absl::Mutex g_observer_mu;
std::function<void(std::string_view)>* g_observer ABSL_GUARDED_BY(g_observer_mu) = nullptr;

spdlog::logger& Logger() {
  static spdlog::logger* logger = [] {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto* l = new spdlog::logger("convault", sink);
    l->set_pattern("%v");
    l->set_level(spdlog::level::trace);
    l->flush_on(spdlog::level::trace);
    return l;
  }();
  return *logger;
}

constexpr std::string_view kLevelNames[] = {"debug", "info", "warn", "error"};

void AppendJsonString(std::string& out, std::string_view s) {
  // nlohmann escapes control characters and replaces invalid UTF-8.
  out +=
      nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

void Init(const Options& options) { g_level.store(static_cast<int>(options.level)); }

bool ParseLevel(std::string_view text, Level* level) {
  for (int i = 0; i < 4; ++i) {
    if (text == kLevelNames[i]) {
      *level = static_cast<Level>(i);
      return true;
    }
  }
  return false;
}

void Write(Level level, std::string_view component, std::string_view event,
           std::initializer_list<Field> fields) {
  if (static_cast<int>(level) < g_level.load(std::memory_order_relaxed)) return;
  std::string line;
  line.reserve(160);
  line += "{\"ts\":\"";
  line += FormatRfc3339(absl::Now());
  line += "\",\"level\":\"";
  line += kLevelNames[static_cast<int>(level)];
  line += "\",\"component\":";
  AppendJsonString(line, component);
  line += ",\"event\":";
  AppendJsonString(line, event);
  for (const Field& f : fields) {
    line.push_back(',');
    AppendJsonString(line, f.key());
    line.push_back(':');
    std::visit(
        [&line](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::string_view>) {
            AppendJsonString(line, v);
          } else if constexpr (std::is_same_v<T, bool>) {
            line += v ? "true" : "false";
          } else {
            line += nlohmann::json(v).dump();
          }
        },
        f.value());
  }
  line.push_back('}');
  Logger().info(line);
  absl::MutexLock lock(&g_observer_mu);
  if (g_observer != nullptr) (*g_observer)(line);
}

void SetObserverForTesting(std::function<void(std::string_view line)> observer) {
  absl::MutexLock lock(&g_observer_mu);
  delete g_observer;
  g_observer = observer ? new std::function<void(std::string_view)>(std::move(observer)) : nullptr;
}

}  // namespace convault::log
