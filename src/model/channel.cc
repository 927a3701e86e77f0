#include "model/channel.h"

namespace convault {
namespace {

struct TypeName {
  ChannelType type;
  std::string_view name;
};
constexpr TypeName kTypes[] = {
    {ChannelType::kWebChat, "web_chat"},  {ChannelType::kInApp, "in_app"},
    {ChannelType::kWhatsApp, "whatsapp"}, {ChannelType::kMessenger, "messenger"},
    {ChannelType::kSms, "sms"},           {ChannelType::kAppleBusiness, "apple_business"},
    {ChannelType::kLine, "line"},         {ChannelType::kByoc, "byoc"},
};

}  // namespace

std::string_view ChannelTypeName(ChannelType type) {
  for (const TypeName& t : kTypes) {
    if (t.type == type) return t.name;
  }
  return "unknown";
}

std::optional<ChannelType> ParseChannelType(std::string_view name) {
  for (const TypeName& t : kTypes) {
    if (t.name == name) return t.type;
  }
  return std::nullopt;
}

bool HipaaEligible(ChannelType type, bool byoc_attested) {
  switch (type) {
    case ChannelType::kWebChat:
    case ChannelType::kInApp:
      return true;
    case ChannelType::kByoc:
      return byoc_attested;
    default:
      return false;
  }
}

}  // namespace convault
