#include "corpus/corpus.h"

#include <array>
#include <random>
#include <string_view>

namespace convault::bench {
namespace {

using Strings = std::vector<std::string_view>;

// Plain customer-service lines (customers, agents, bots).
const Strings kPlain = {
    "Hi, I need help with my order",
    "Thanks, that worked!",
    "Can you check the status of my refund please?",
    "The package arrived damaged, the box was completely crushed",
    "I've been waiting for almost an hour now",
    "Hello! How can I help you today?",
    "Let me look into that for you, one moment please.",
    "Is there anything else I can help you with?",
    "Yes please, I'd like to change my delivery address",
    "No that's all, have a nice day",
    "The app keeps crashing when I open the settings page",
    "I was charged twice for the same subscription",
    "Could you send me a new invoice?",
    "I can't log in, it says my password is wrong",
    "Sure, I have reset it. Please try again now.",
    "It still doesn't work :(",
    "Ok great, it works now. Thank you so much!",
    "When will my replacement ship?",
    "Your replacement will ship within 2 business days.",
    "I'd like to cancel my subscription",
    "I'm sorry to hear that. May I ask why you want to cancel?",
    "It's too expensive for me right now",
    "I understand. I can offer you a discount for the next three months.",
    "What are your opening hours on weekends?",
    "We are open from 9am to 5pm on Saturdays and closed on Sundays.",
    "Can I speak to a human please",
    "I'm transferring you to an agent now.",
    "The tracking page hasn't updated since Tuesday",
    "My discount code isn't being applied at checkout",
    "Do you ship to Canada?",
    "Yes, we ship to Canada. Shipping takes 5-7 business days.",
    "The color is different from the picture on the website",
    "Please confirm your name and the email on the account.",
    "I'll escalate this to our billing team.",
    "Great, thanks for your patience!",
    "Merci beaucoup pour votre aide 😊",
    "¿Dónde está mi pedido? Lo pedí hace una semana",
    "Danke, das Problem ist gelöst",
    "ok",
    "thx",
    "hello??",
    "The size chart says M but it fits like an S",
    "Can I return an item bought on sale?",
    "Items bought on sale can be returned within 14 days.",
    "I never received the confirmation email",
    "Our system shows the order was delivered to your mailbox.",
    "The driver left it at the wrong house",
    "Is the blue version back in stock?",
    "I want to update the phone number on my account",
    "Can you resend the activation link?",
    "我的订单还没有到，请帮我查一下",
    "The warranty covers manufacturing defects for two years.",
    "I'd rather get store credit than a refund",
    "Bot: I didn't understand that. Type 'agent' to talk to a person.",
    "My account was locked after too many attempts",
    "Perfect, see you tomorrow then",
};

const Strings kFirst = {"john",  "maria", "wei",  "fatima", "lucas", "anna",  "james",
                        "sofia", "omar",  "emma", "li",     "noah",  "chloe", "diego"};
const Strings kLast = {"smith",  "garcia", "chen",  "khan",  "müller",   "rossi",  "johnson",
                       "nguyen", "martin", "silva", "brown", "kowalski", "tanaka", "dubois"};
const Strings kDomains = {"gmail.com",     "yahoo.com",       "outlook.com", "example.org",
                          "company.co.uk", "mail.example.de", "proton.me",   "icloud.com"};
const Strings kUsAreas = {"212", "213", "310", "312", "415", "617", "646", "702", "713", "718",
                          "202", "305", "404", "503", "206", "303", "512", "614", "919", "408"};
const Strings kMonths = {"January", "February", "March",     "April",   "May",      "June",
                         "July",    "August",   "September", "October", "November", "December"};

class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(seed) {}

  uint64_t Below(uint64_t n) { return rng_() % n; }
  bool Chance(double p) { return static_cast<double>(rng_() >> 11) * 0x1.0p-53 < p; }
  std::string_view Pick(const Strings& from) { return from[Below(from.size())]; }
  char Digit() { return static_cast<char>('0' + Below(10)); }
  std::string Digits(size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += Digit();
    return s;
  }
  std::string From(std::string_view alphabet, size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += alphabet[Below(alphabet.size())];
    return s;
  }
  std::string Number(uint64_t lo, uint64_t hi, int width) {
    std::string s = std::to_string(lo + Below(hi - lo + 1));
    while (static_cast<int>(s.size()) < width) s.insert(s.begin(), '0');
    return s;
  }

  // ---- valid personal values ----

  static char LuhnCheck(std::string_view body) {
    int sum = 0;
    bool twice = true;  // the digit left of the check digit is doubled
    for (size_t i = body.size(); i-- > 0;) {
      int d = body[i] - '0';
      if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
      twice = !twice;
    }
    return static_cast<char>('0' + (10 - sum % 10) % 10);
  }
  std::string CardDigits() {
    std::string prefix;
    size_t length = 16;
    switch (Below(5)) {
      case 0:
        prefix = "4";
        break;
      case 1:
        prefix = std::to_string(51 + Below(5));
        break;
      case 2:
        prefix = std::to_string(2221 + Below(500));
        break;
      case 3:
        prefix = Chance(0.5) ? "34" : "37";
        length = 15;
        break;
      default:
        prefix = "6011";
        break;
    }
    std::string body = prefix + Digits(length - 1 - prefix.size());
    return body + LuhnCheck(body);
  }
  std::string GroupCard(const std::string& d, char sep) {
    if (sep == 0) return d;
    if (d.size() == 15) {
      return d.substr(0, 4) + sep + d.substr(4, 6) + sep + d.substr(10);
    }
    std::string out;
    for (size_t i = 0; i < d.size(); i += 4) {
      if (i > 0) out += sep;
      out += d.substr(i, 4);
    }
    return out;
  }
  std::string Card() {
    static constexpr char kSeps[] = {0, ' ', '-'};
    return GroupCard(CardDigits(), kSeps[Below(3)]);
  }
  std::string SsnArea() {
    while (true) {
      int a = 1 + static_cast<int>(Below(899));
      if (a != 666) return Number(a, a, 3);
    }
  }
  std::string SsnDigits() {
    while (true) {
      std::string s = SsnArea() + Number(1, 99, 2) + Number(1, 9999, 4);
      if (s != "078051120" && s != "219099999") return s;
    }
  }
  std::string ItinDigits() {
    static constexpr std::array<std::pair<int, int>, 5> kGroups = {
        {{50, 65}, {70, 88}, {90, 92}, {94, 99}, {70, 88}}};
    auto g = kGroups[Below(kGroups.size())];
    return Number(900, 999, 3) + Number(g.first, g.second, 2) + Number(0, 9999, 4);
  }
  static std::string Dashed(const std::string& nine, char sep) {
    return nine.substr(0, 3) + sep + nine.substr(3, 2) + sep + nine.substr(5);
  }
  static int Mod97(std::string_view numeric) {
    int r = 0;
    for (char c : numeric) r = (r * 10 + (c - '0')) % 97;
    return r;
  }
  static std::string IbanWithCheck(std::string_view country, const std::string& bban) {
    std::string numeric;
    for (char c : bban + std::string(country) + "00") {
      if (c >= 'A' && c <= 'Z') {
        numeric += std::to_string(c - 'A' + 10);
      } else {
        numeric += c;
      }
    }
    int check = 98 - Mod97(numeric);
    std::string cc = check < 10 ? "0" + std::to_string(check) : std::to_string(check);
    return std::string(country) + cc + bban;
  }
  std::string Iban(bool valid) {
    std::string bban;
    std::string_view country;
    switch (Below(6)) {
      case 0:
        country = "DE";
        bban = Digits(18);
        break;
      case 1:
        country = "GB";
        bban = From("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4) + Digits(14);
        break;
      case 2:
        country = "FR";
        bban = Digits(23);
        break;
      case 3:
        country = "ES";
        bban = Digits(20);
        break;
      case 4:
        country = "NL";
        bban = From("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4) + Digits(10);
        break;
      default:
        country = "IT";
        bban = From("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1) + Digits(22);
        break;
    }
    std::string iban = IbanWithCheck(country, bban);
    if (!valid) {  // another check digit: mod-97 fails
      iban[3] = static_cast<char>('0' + (iban[3] - '0' + 1 + Below(8)) % 10);
    }
    if (Chance(0.5)) {
      std::string grouped;
      for (size_t i = 0; i < iban.size(); i += 4) {
        if (i > 0) grouped += ' ';
        grouped += iban.substr(i, 4);
      }
      return grouped;
    }
    return iban;
  }
  std::string Email() {
    std::string first(Pick(kFirst)), last(Pick(kLast));
    if (first.find('\xc3') != std::string::npos || last.find('\xc3') != std::string::npos) {
      last = "mueller";
    }
    std::string local;
    switch (Below(4)) {
      case 0:
        local = first + "." + last;
        break;
      case 1:
        local = first + last + std::to_string(Below(100));
        break;
      case 2:
        local = first.substr(0, 1) + "_" + last;
        break;
      default:
        local = first + "+shop";
        break;
    }
    return local + "@" + std::string(Pick(kDomains));
  }
  std::string UsLocal() {
    std::string exchange;
    do {
      exchange = Number(200, 999, 3);
    } while (exchange == "555" || exchange.substr(1) == "11");
    return exchange + Digits(4);
  }
  std::string Phone() {
    std::string area(Pick(kUsAreas));
    std::string local = UsLocal();
    std::string ex = local.substr(0, 3), line = local.substr(3);
    switch (Below(9)) {
      case 0:
        return "(" + area + ") " + ex + "-" + line;
      case 1:
        return area + "-" + ex + "-" + line;
      case 2:
        return area + "." + ex + "." + line;
      case 3:
        return "+1 " + area + " " + ex + " " + line;
      case 4:
        return "+1-" + area + "-" + ex + "-" + line;
      case 5:
        return area + ex + line;
      case 6:
        return "+44 20 7" + Digits(3) + " " + Digits(4);
      case 7:
        return "+44 7400 " + Digits(6);
      default:  // French mobiles; 06 39 and 06 9x are overseas (+262, ...)
        return "+33 6 " + Number(10, 38, 2) + " " + Digits(2) + " " + Digits(2) + " " + Digits(2);
    }
  }
  std::string Ipv4() {
    return std::to_string(1 + Below(223)) + "." + std::to_string(Below(256)) + "." +
           std::to_string(Below(256)) + "." + std::to_string(1 + Below(254));
  }
  std::string Hex(size_t max_len) { return From("0123456789abcdef", 1 + Below(max_len)); }
  std::string Ipv6() {
    switch (Below(3)) {
      case 0: {
        std::string s = "2001:db8";
        for (int i = 0; i < 6; ++i) s += ":" + Hex(4);
        return s;
      }
      case 1:
        return "2001:db8:" + Hex(4) + "::" + Hex(4) + ":" + Hex(4);
      default:
        return "fe80::" + Hex(4) + ":" + Hex(4) + ":" + Hex(4) + ":" + Hex(4);
    }
  }
  std::string Passport() {
    if (Chance(0.5)) return Digits(9);
    return From("ABCDEFGHJKLMNPRSTUVWXYZ", 1) + Digits(8);
  }
  struct Date {
    int y, m, d;
  };
  Date SomeDate(int from_year, int to_year) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int m = 1 + static_cast<int>(Below(12));
    return {from_year + static_cast<int>(Below(to_year - from_year + 1)), m,
            1 + static_cast<int>(Below(kDays[m - 1]))};
  }
  std::string FormatDate(Date t) {
    auto two = [](int v) { return (v < 10 ? "0" : "") + std::to_string(v); };
    switch (Below(4)) {
      case 0:
        return two(t.m) + "/" + two(t.d) + "/" + std::to_string(t.y);
      case 1:
        return std::to_string(t.y) + "-" + two(t.m) + "-" + two(t.d);
      case 2:
        return std::string(kMonths[t.m - 1]) + " " + std::to_string(t.d) + ", " +
               std::to_string(t.y);
      default:
        return std::to_string(t.d) + " " + std::string(kMonths[t.m - 1]) + " " +
               std::to_string(t.y);
    }
  }
  std::string ApiKey() {
    static constexpr std::string_view kAlnum =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static constexpr std::string_view kB64 =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    switch (Below(5)) {
      case 0:
        return "AKIA" + From("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
      case 1:
        return "ghp_" + From(kAlnum, 36);
      case 2:
        return "sk_live_" + From(kAlnum, 24 + Below(8));
      case 3:
        return "xoxb-" + Digits(11) + "-" + Digits(12) + "-" + From(kAlnum, 24);
      default:
        return "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ" + From(kB64, 20 + Below(30)) + "." +
               From(kB64, 43);
    }
  }
  std::string Routing() {
    static constexpr std::array<std::pair<int, int>, 4> kPrefixes = {
        {{1, 12}, {21, 32}, {61, 72}, {80, 80}}};
    auto p = kPrefixes[Below(kPrefixes.size())];
    std::string d = Number(p.first, p.second, 2) + Digits(6);
    int sum = 0;
    static constexpr int kWeights[] = {3, 7, 1, 3, 7, 1, 3, 7};
    for (int i = 0; i < 8; ++i) sum += kWeights[i] * (d[i] - '0');
    return d + static_cast<char>('0' + (10 - sum % 10) % 10);
  }

  // ---- decoys ----

  std::string Decoy() {
    switch (Below(14)) {
      case 0:
        return "My order number is " + Digits(8 + Below(3));
      case 1:
        return "order #ORD-" + Number(2020, 2026, 4) + "-" + Digits(6) + " still not here";
      case 2: {  // a 16-digit number that fails Luhn
        std::string d = CardDigits();
        while (d.size() != 16) d = CardDigits();
        d.back() = static_cast<char>('0' + (d.back() - '0' + 1 + Below(9)) % 10);
        return "the gift card code is " + GroupCard(d, Chance(0.5) ? ' ' : 0);
      }
      case 3:
        return "is this IBAN right? " + Iban(false);
      case 4:
        return "It was delivered on " + FormatDate(SomeDate(2023, 2026));
      case 5:
        return "I paid $" + std::to_string(1 + Below(2000)) + "." + Digits(2) + " for it";
      case 6:
        return "tracking number 1Z" + From("0123456789ABCDEFGHJKLMNPRSTUVWXYZ", 6) + Digits(10);
      case 7:
        return "USPS tracking 9400 " + Digits(4) + " " + Digits(4) + " " + Digits(4) + " " +
               Digits(4) + " " + Digits(2);
      case 8:
        return "my zip code is " + Digits(5) + (Chance(0.3) ? "-" + Digits(4) : "");
      case 9:
        return "app version " + std::to_string(Below(20)) + "." + std::to_string(Below(30)) + "." +
               std::to_string(Below(50)) + " on Android 14";
      case 10:
        return "ticket " + Digits(9) + " was closed without an answer";
      case 11:
        return "I'll call back at " + std::to_string(1 + Below(12)) + ":" + Number(0, 59, 2) +
               ", reference " + Digits(3) + "-" + Digits(2) + "-" + Digits(3);
      case 12:
        return "FedEx " + Number(7000, 7999, 4) + " " + Digits(4) + " " + Digits(4) +
               " says delayed";
      default:
        return "coupon SAVE" + Digits(2) + " expired on " + FormatDate(SomeDate(2024, 2026)) +
               ", total €" + std::to_string(10 + Below(300)) + "," + Digits(2);
    }
  }

  // ---- messages ----

  CorpusMessage Plain() {
    std::string text(Pick(kPlain));
    while (Chance(0.45)) text += " " + std::string(Pick(kPlain));
    return {std::move(text), {}, false};
  }

  CorpusMessage WithDecoys() {
    CorpusMessage m{Chance(0.3) ? std::string(Pick(kPlain)) + " " : "", {}, true};
    m.text += Decoy();
    if (Chance(0.2)) m.text += ", and " + Decoy();
    return m;
  }

  // Appends "<before><value><after>" recording the value's span.
  void Put(CorpusMessage& m, std::string_view before, const std::string& value,
           std::string_view after, std::string_view type) {
    m.text += before;
    m.truth.push_back({std::string(type), m.text.size(), m.text.size() + value.size()});
    m.text += value;
    m.text += after;
  }

  void AddPii(CorpusMessage& m) {
    // Weights: email 18, phone 18, card 14, ssn 10, iban 6, ipv4 6, ipv6 4, itin 4,
    // passport 4, dob 6, api key 5, routing 5.
    uint64_t r = Below(100);
    if (r < 18) {
      static const Strings kBefore = {"you can email me at ", "my email is ", "send it to ",
                                      "Contact: "};
      Put(m, Pick(kBefore), Email(), Chance(0.5) ? " thanks" : "", "email");
    } else if (r < 36) {
      static const Strings kBefore = {"call me on ", "my number is ", "reach me at ",
                                      "phone: ", "text "};
      Put(m, Pick(kBefore), Phone(), Chance(0.5) ? " after 5pm" : "", "phone");
    } else if (r < 50) {
      static const Strings kBefore = {"my card number is ", "Card: ", "can you charge ",
                                      "I used the card "};
      Put(m, Pick(kBefore), Card(), Chance(0.5) ? " exp 09/27" : " instead", "credit_card");
    } else if (r < 60) {
      std::string d = SsnDigits();
      switch (Below(3)) {
        case 0:
          Put(m, "my SSN is ", Dashed(d, '-'), "", "us_ssn");
          break;
        case 1:
          Put(m, "social security number ", Dashed(d, ' '), " for the form", "us_ssn");
          break;
        default:
          Put(m, "SSN: ", d, "", "us_ssn");
          break;
      }
    } else if (r < 66) {
      Put(m, Chance(0.5) ? "please refund to IBAN " : "my bank account is ", Iban(true), "",
          "iban");
    } else if (r < 72) {
      Put(m, Chance(0.5) ? "my IP is " : "the login came from ", Ipv4(), " apparently", "ipv4");
    } else if (r < 76) {
      Put(m, "my IPv6 address is ", Ipv6(), "", "ipv6");
    } else if (r < 80) {
      std::string d = ItinDigits();
      Put(m, "my ITIN is ", Chance(0.7) ? Dashed(d, '-') : d, "", "us_itin");
    } else if (r < 84) {
      Put(m, Chance(0.5) ? "passport number " : "Passport: ", Passport(), "", "us_passport");
    } else if (r < 90) {
      static const Strings kBefore = {"I was born on ", "DOB: ", "my date of birth is ",
                                      "birthday: "};
      Put(m, Pick(kBefore), FormatDate(SomeDate(1940, 2006)), "", "date_of_birth");
    } else if (r < 95) {
      Put(m, Chance(0.5) ? "here is the key " : "token=", ApiKey(), "", "api_key");
    } else {
      Put(m, Chance(0.5) ? "routing number " : "ABA ", Routing(), " account " + Digits(10),
          "bank_routing");
    }
  }

  CorpusMessage WithPii() {
    CorpusMessage m;
    if (Chance(0.3)) m.text = Chance(0.5) ? "hi, " : std::string(Pick(kPlain)) + " ";
    AddPii(m);
    if (Chance(0.12)) {
      m.text += " and ";
      AddPii(m);
    }
    return m;
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace

std::vector<CorpusMessage> GenerateCorpus(const CorpusOptions& options) {
  Gen gen(options.seed);
  std::vector<CorpusMessage> out;
  out.reserve(options.messages);
  for (size_t i = 0; i < options.messages; ++i) {
    double r = static_cast<double>(gen.Below(1000000)) / 1e6;
    if (r < options.pii_share) {
      out.push_back(gen.WithPii());
    } else if (r < options.pii_share + options.decoy_share) {
      out.push_back(gen.WithDecoys());
    } else {
      out.push_back(gen.Plain());
    }
  }
  return out;
}

std::string TruthJson(const CorpusMessage& message) {
  std::string out = "{\"pii\":[";
  for (size_t i = 0; i < message.truth.size(); ++i) {
    const PiiSpan& s = message.truth[i];
    if (i > 0) out += ',';
    out += "{\"type\":\"" + s.type + "\",\"start\":" + std::to_string(s.start) +
           ",\"end\":" + std::to_string(s.end) + "}";
  }
  out += "]}";
  return out;
}

}  // namespace convault::bench
