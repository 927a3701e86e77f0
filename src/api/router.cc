#include "api/router.h"

#include "absl/strings/str_split.h"
#include "common/strings.h"

namespace convault {
namespace {
std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  for (absl::string_view s : absl::StrSplit(Sv(path), '/')) out.push_back(StdSv(s));
  return out;
}
}  // namespace

void Router::Add(Route route) {
  Compiled c;
  for (std::string_view s : Split(route.pattern)) c.segments.emplace_back(s);
  compiled_.push_back(std::move(c));
  routes_.push_back(std::move(route));
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match result;
  std::vector<std::string_view> parts = Split(path);
  for (size_t r = 0; r < routes_.size(); ++r) {
    const auto& segs = compiled_[r].segments;
    if (segs.size() != parts.size()) continue;
    std::map<std::string, std::string, std::less<>> params;
    bool ok = true;
    for (size_t i = 0; i < segs.size() && ok; ++i) {
      const std::string& seg = segs[i];
      if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
        if (parts[i].empty())
          ok = false;
        else
          params.emplace(seg.substr(1, seg.size() - 2), std::string(parts[i]));
      } else if (seg != parts[i]) {
        ok = false;
      }
    }
    if (!ok) continue;
    if (routes_[r].method == method) {
      result.route = &routes_[r];
      result.params = std::move(params);
      result.allowed.clear();
      return result;
    }
    result.allowed.push_back(routes_[r].method);
  }
  return result;
}

}  // namespace convault
