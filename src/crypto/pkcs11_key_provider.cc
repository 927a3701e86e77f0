#include "crypto/pkcs11_key_provider.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status.h"
#include "common/strings.h"
#include "crypto/aead.h"
#include "crypto/nonce_source.h"
#include "p11-kit/pkcs11.h"

namespace convault::crypto {
namespace {

constexpr std::string_view kLabelPrefix = "convault-kek-";
constexpr std::string_view kWrapContext = "convault-kek-wrap-v1|";

absl::Status CkError(CK_RV rv, std::string_view what) {
  return absl::UnavailableError(
      absl::StrCat("PKCS#11 ", Sv(what), " failed (CKR 0x", absl::Hex(rv), ")"));
}

std::string Label(uint32_t version) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "convault-kek-%06u", version);
  return buf;
}

std::string Header(uint32_t version) {
  char h[kEnvelopeHeaderSize] = {
      static_cast<char>(kEnvelopeVersion), static_cast<char>(kAlgAes256Gcm),
      static_cast<char>(version >> 24),    static_cast<char>(version >> 16),
      static_cast<char>(version >> 8),     static_cast<char>(version)};
  return std::string(h, sizeof(h));
}

}  // namespace

absl::StatusOr<Pkcs11Options> ParsePkcs11Uri(std::string_view uri) {
  if (uri.substr(0, 7) != "pkcs11:") return absl::InvalidArgumentError("must start with pkcs11:");
  Pkcs11Options o;
  for (absl::string_view part : absl::StrSplit(Sv(uri.substr(7)), ';', absl::SkipEmpty())) {
    size_t eq = part.find('=');
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("attribute without a value: ", part));
    }
    std::string key(part.substr(0, eq));
    std::string value(part.substr(eq + 1));
    if (key == "module") {
      o.module = value;
    } else if (key == "token") {
      o.token_label = value;
    } else if (key == "pin-env") {
      o.pin_env = value;
    } else if (key == "pin-file") {
      o.pin_file = value;
    } else if (key == "pin" || key == "pin-value") {
      return absl::InvalidArgumentError(
          "a PIN never goes in the configuration: use pin-env=VAR or pin-file=/path");
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown attribute ", key));
    }
  }
  if (o.module.empty()) return absl::InvalidArgumentError("module= is required");
  if (o.token_label.empty()) return absl::InvalidArgumentError("token= is required");
  if (o.pin_env.empty() == o.pin_file.empty()) {
    return absl::InvalidArgumentError("exactly one of pin-env= or pin-file= is required");
  }
  return o;
}

// One loaded module, initialized once per process and finalized with its
// last provider (so a later provider of the same module starts afresh).
struct Pkcs11KeyProvider::Module {
  void* handle = nullptr;
  CK_FUNCTION_LIST_PTR f = nullptr;
  ~Module() {
    if (f != nullptr) f->C_Finalize(nullptr);
    if (handle != nullptr) dlclose(handle);
  }

  static absl::StatusOr<std::shared_ptr<Module>> Load(const std::string& path) {
    static absl::Mutex mu;
    static auto* loaded = new std::map<std::string, std::weak_ptr<Module>>();
    absl::MutexLock lock(&mu);
    if (auto existing = (*loaded)[path].lock()) return existing;
    auto m = std::make_shared<Module>();
    m->handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (m->handle == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat("cannot load PKCS#11 module ", path));
    }
    using GetFunctionList = CK_RV (*)(CK_FUNCTION_LIST_PTR_PTR);
    auto get = reinterpret_cast<GetFunctionList>(dlsym(m->handle, "C_GetFunctionList"));
    if (get == nullptr || get(&m->f) != CKR_OK || m->f == nullptr) {
      m->f = nullptr;
      return absl::FailedPreconditionError(
          absl::StrCat("PKCS#11 module ", path, " has no C_GetFunctionList"));
    }
    CK_C_INITIALIZE_ARGS args{};
    args.flags = CKF_OS_LOCKING_OK;
    CK_RV rv = m->f->C_Initialize(&args);
    if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      m->f = nullptr;
      return CkError(rv, "C_Initialize");
    }
    (*loaded)[path] = m;
    return m;
  }
};

class Pkcs11KeyProvider::Session {
 public:
  Session(Module& m, CK_SESSION_HANDLE h) : m_(m), h_(h) {}
  ~Session() { m_.f->C_CloseSession(h_); }
  CK_FUNCTION_LIST_PTR f() { return m_.f; }
  CK_SESSION_HANDLE h() const { return h_; }

 private:
  Module& m_;
  CK_SESSION_HANDLE h_;
};

absl::StatusOr<std::unique_ptr<Pkcs11KeyProvider>> Pkcs11KeyProvider::Open(
    const Pkcs11Options& options) {
  std::string pin;
  if (!options.pin_env.empty()) {
    const char* v = std::getenv(options.pin_env.c_str());
    if (v == nullptr || *v == '\0') {
      return absl::FailedPreconditionError(
          absl::StrCat("the PKCS#11 PIN variable ", options.pin_env, " is not set"));
    }
    pin = v;
  } else {
    std::ifstream in(options.pin_file);
    if (!in || !std::getline(in, pin) || pin.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot read the PKCS#11 PIN from ", options.pin_file));
    }
  }
  SecretBytes secret_pin(pin);
  SecureZero(pin.data(), pin.size());

  std::unique_ptr<Pkcs11KeyProvider> p(new Pkcs11KeyProvider());
  CV_ASSIGN_OR_RETURN(p->module_, Module::Load(options.module));
  CK_FUNCTION_LIST_PTR f = p->module_->f;

  CK_ULONG count = 0;
  CK_RV rv = f->C_GetSlotList(CK_TRUE, nullptr, &count);
  if (rv != CKR_OK) return CkError(rv, "C_GetSlotList");
  std::vector<CK_SLOT_ID> slots(count);
  rv = f->C_GetSlotList(CK_TRUE, slots.data(), &count);
  if (rv != CKR_OK) return CkError(rv, "C_GetSlotList");
  bool found = false;
  for (CK_ULONG i = 0; i < count && !found; ++i) {
    CK_TOKEN_INFO info;
    if (f->C_GetTokenInfo(slots[i], &info) != CKR_OK) continue;
    std::string label(reinterpret_cast<const char*>(info.label), sizeof(info.label));
    label.erase(label.find_last_not_of(' ') + 1);
    if (label == options.token_label) {
      p->slot_ = slots[i];
      found = true;
    }
  }
  if (!found) {
    return absl::FailedPreconditionError(
        absl::StrCat("no PKCS#11 token labelled \"", options.token_label, "\""));
  }
  for (int i = 0; i < std::max(1, options.sessions); ++i) {
    CK_SESSION_HANDLE h = 0;
    rv = f->C_OpenSession(p->slot_, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &h);
    if (rv != CKR_OK) return CkError(rv, "C_OpenSession");
    auto session = std::make_unique<Session>(*p->module_, h);
    if (i == 0) {
      rv = f->C_Login(
          h, CKU_USER,
          reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(secret_pin.Reveal().data())),
          secret_pin.size());
      if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) {
        return rv == CKR_PIN_INCORRECT ? absl::PermissionDeniedError("the PKCS#11 PIN is wrong")
                                       : CkError(rv, "C_Login");
      }
    }
    absl::MutexLock lock(&p->mu_);
    p->idle_.push_back(std::move(session));
  }
  auto versions = p->Versions();
  if (!versions.ok()) return versions.status();
  if (versions->empty()) {
    auto v = p->CreateVersion();
    if (!v.ok()) return v.status();
  }
  return p;
}

Pkcs11KeyProvider::~Pkcs11KeyProvider() {
  absl::MutexLock lock(&mu_);
  idle_.clear();  // sessions close before the module may be finalized
}

absl::StatusOr<std::unique_ptr<Pkcs11KeyProvider::Session>> Pkcs11KeyProvider::Acquire() {
  {
    absl::MutexLock lock(&mu_);
    if (!idle_.empty()) {
      auto s = std::move(idle_.back());
      idle_.pop_back();
      return s;
    }
  }
  CK_SESSION_HANDLE h = 0;
  CK_RV rv =
      module_->f->C_OpenSession(slot_, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &h);
  if (rv != CKR_OK) return CkError(rv, "C_OpenSession");
  return std::make_unique<Session>(*module_, h);
}

void Pkcs11KeyProvider::Release(std::unique_ptr<Session> session) {
  absl::MutexLock lock(&mu_);
  idle_.push_back(std::move(session));
}

absl::StatusOr<std::map<uint32_t, unsigned long>> Pkcs11KeyProvider::FindKeks(Session& s) {
  CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
  CK_KEY_TYPE type = CKK_AES;
  CK_ATTRIBUTE query[] = {{CKA_CLASS, &cls, sizeof(cls)}, {CKA_KEY_TYPE, &type, sizeof(type)}};
  CK_RV rv = s.f()->C_FindObjectsInit(s.h(), query, 2);
  if (rv != CKR_OK) return CkError(rv, "C_FindObjectsInit");
  std::vector<CK_OBJECT_HANDLE> handles;
  while (true) {
    CK_OBJECT_HANDLE batch[32];
    CK_ULONG n = 0;
    rv = s.f()->C_FindObjects(s.h(), batch, 32, &n);
    if (rv != CKR_OK || n == 0) break;
    handles.insert(handles.end(), batch, batch + n);
  }
  s.f()->C_FindObjectsFinal(s.h());
  if (rv != CKR_OK) return CkError(rv, "C_FindObjects");
  std::map<uint32_t, unsigned long> out;
  for (CK_OBJECT_HANDLE h : handles) {
    char label[64] = {0};
    CK_BBOOL extractable = CK_TRUE, sensitive = CK_FALSE;
    CK_ATTRIBUTE attrs[] = {{CKA_LABEL, label, sizeof(label) - 1},
                            {CKA_EXTRACTABLE, &extractable, sizeof(extractable)},
                            {CKA_SENSITIVE, &sensitive, sizeof(sensitive)}};
    if (s.f()->C_GetAttributeValue(s.h(), h, attrs, 3) != CKR_OK) continue;
    std::string_view name(label, attrs[0].ulValueLen);
    if (name.substr(0, kLabelPrefix.size()) != kLabelPrefix) continue;
    unsigned version = 0;
    if (std::sscanf(std::string(name.substr(kLabelPrefix.size())).c_str(), "%u", &version) != 1 ||
        version == 0) {
      continue;
    }
    if (extractable != CK_FALSE || sensitive != CK_TRUE) {
      return absl::FailedPreconditionError(absl::StrCat(
          "KEK version ", version, " in the HSM is extractable or not sensitive; refusing it"));
    }
    out[version] = h;
  }
  return out;
}

absl::StatusOr<unsigned long> Pkcs11KeyProvider::KekHandle(Session& session, uint32_t version) {
  {
    absl::MutexLock lock(&mu_);
    if (auto it = handles_.find(version); it != handles_.end()) return it->second;
  }
  auto keks = FindKeks(session);
  if (!keks.ok()) return keks.status();
  absl::MutexLock lock(&mu_);
  handles_ = *keks;
  auto it = handles_.find(version);
  if (it == handles_.end()) return absl::NotFoundError(absl::StrCat("no KEK version ", version));
  return it->second;
}

absl::StatusOr<std::vector<uint32_t>> Pkcs11KeyProvider::Versions() {
  CV_ASSIGN_OR_RETURN(auto session, Acquire());
  auto keks = FindKeks(*session);
  Release(std::move(session));
  if (!keks.ok()) return keks.status();
  std::vector<uint32_t> out;
  for (const auto& [v, h] : *keks) out.push_back(v);
  absl::MutexLock lock(&mu_);
  handles_ = std::move(*keks);
  return out;
}

absl::StatusOr<uint32_t> Pkcs11KeyProvider::CreateVersion() {
  CV_ASSIGN_OR_RETURN(auto session, Acquire());
  auto keks = FindKeks(*session);
  if (!keks.ok()) {
    Release(std::move(session));
    return keks.status();
  }
  uint32_t version = keks->empty() ? 1 : keks->rbegin()->first + 1;
  std::string label = Label(version);
  CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
  CK_KEY_TYPE type = CKK_AES;
  CK_ULONG len = 32;
  CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
  CK_ATTRIBUTE tmpl[] = {
      {CKA_CLASS, &cls, sizeof(cls)},          {CKA_KEY_TYPE, &type, sizeof(type)},
      {CKA_VALUE_LEN, &len, sizeof(len)},      {CKA_TOKEN, &yes, sizeof(yes)},
      {CKA_PRIVATE, &yes, sizeof(yes)},        {CKA_SENSITIVE, &yes, sizeof(yes)},
      {CKA_EXTRACTABLE, &no, sizeof(no)},      {CKA_ENCRYPT, &yes, sizeof(yes)},
      {CKA_DECRYPT, &yes, sizeof(yes)},        {CKA_WRAP, &no, sizeof(no)},
      {CKA_LABEL, label.data(), label.size()},
  };
  CK_MECHANISM mech{CKM_AES_KEY_GEN, nullptr, 0};
  CK_OBJECT_HANDLE handle = 0;
  CK_RV rv = session->f()->C_GenerateKey(session->h(), &mech, tmpl, sizeof(tmpl) / sizeof(tmpl[0]),
                                         &handle);
  Release(std::move(session));
  if (rv != CKR_OK) return CkError(rv, "C_GenerateKey");
  return version;
}

absl::StatusOr<std::string> Pkcs11KeyProvider::Wrap(uint32_t version, const SecretBytes& key,
                                                    std::string_view context) {
  CV_ASSIGN_OR_RETURN(auto session, Acquire());
  auto handle = KekHandle(*session, version);
  if (!handle.ok()) {
    Release(std::move(session));
    return handle.status();
  }
  std::string header = Header(version);
  uint8_t iv[NonceSource::kNonceSize];
  NonceSource::Fill(iv);
  std::string aad = absl::StrCat(header, Sv(kWrapContext), Sv(context));
  CK_GCM_PARAMS params{
      iv, sizeof(iv), sizeof(iv) * 8, reinterpret_cast<CK_BYTE_PTR>(aad.data()), aad.size(), 128};
  CK_MECHANISM mech{CKM_AES_GCM, &params, sizeof(params)};
  std::string out(key.size() + 16, '\0');
  CK_ULONG out_len = out.size();
  CK_RV rv = session->f()->C_EncryptInit(session->h(), &mech, *handle);
  if (rv == CKR_OK) {
    rv = session->f()->C_Encrypt(
        session->h(), reinterpret_cast<CK_BYTE_PTR>(const_cast<char*>(key.Reveal().data())),
        key.size(), reinterpret_cast<CK_BYTE_PTR>(out.data()), &out_len);
  }
  Release(std::move(session));
  if (rv != CKR_OK) return CkError(rv, "C_Encrypt");
  out.resize(out_len);
  return absl::StrCat(header, absl::string_view(reinterpret_cast<char*>(iv), sizeof(iv)), out);
}

absl::StatusOr<SecretBytes> Pkcs11KeyProvider::Unwrap(uint32_t version, std::string_view wrapped,
                                                      std::string_view context) {
  auto bad = [] { return absl::InvalidArgumentError("wrapped key does not open"); };
  auto id = EnvelopeKeyId(wrapped);
  if (!id.ok() || *id != version) return bad();
  CV_ASSIGN_OR_RETURN(auto session, Acquire());
  auto handle = KekHandle(*session, version);
  if (!handle.ok()) {
    Release(std::move(session));
    return bad();
  }
  std::string header(wrapped.substr(0, kEnvelopeHeaderSize));
  std::string iv(wrapped.substr(kEnvelopeHeaderSize, NonceSource::kNonceSize));
  std::string body(wrapped.substr(kEnvelopeHeaderSize + NonceSource::kNonceSize));
  std::string aad = absl::StrCat(header, Sv(kWrapContext), Sv(context));
  CK_GCM_PARAMS params{reinterpret_cast<CK_BYTE_PTR>(iv.data()),  iv.size(),  iv.size() * 8,
                       reinterpret_cast<CK_BYTE_PTR>(aad.data()), aad.size(), 128};
  CK_MECHANISM mech{CKM_AES_GCM, &params, sizeof(params)};
  SecretBytes out(body.size());
  CK_ULONG out_len = body.size();
  CK_RV rv = session->f()->C_DecryptInit(session->h(), &mech, *handle);
  if (rv == CKR_OK) {
    rv = session->f()->C_Decrypt(session->h(), reinterpret_cast<CK_BYTE_PTR>(body.data()),
                                 body.size(), out.mutable_data(), &out_len);
  }
  Release(std::move(session));
  if (rv != CKR_OK || out_len != 32) return bad();
  return SecretBytes(out.Reveal().substr(0, out_len));
}

absl::Status Pkcs11KeyProvider::DestroyVersion(uint32_t version) {
  CV_ASSIGN_OR_RETURN(auto session, Acquire());
  auto keks = FindKeks(*session);
  absl::Status result = absl::OkStatus();
  if (!keks.ok()) {
    result = keks.status();
  } else if (keks->count(version) == 0) {
    result = absl::NotFoundError(absl::StrCat("no KEK version ", version));
  } else if (keks->size() == 1) {
    result = absl::FailedPreconditionError("the only KEK version cannot be destroyed");
  } else {
    CK_RV rv = session->f()->C_DestroyObject(session->h(), keks->at(version));
    if (rv != CKR_OK) result = CkError(rv, "C_DestroyObject");
    absl::MutexLock lock(&mu_);
    handles_.erase(version);
  }
  Release(std::move(session));
  return result;
}

absl::StatusOr<bool> Pkcs11KeyProvider::IsExtractableForTesting(uint32_t version) {
  CV_ASSIGN_OR_RETURN(auto session, Acquire());
  auto keks = FindKeks(*session);
  if (!keks.ok() || keks->count(version) == 0) {
    Release(std::move(session));
    return absl::NotFoundError("no such version");
  }
  CK_BBOOL extractable = CK_TRUE;
  CK_ATTRIBUTE attr{CKA_EXTRACTABLE, &extractable, sizeof(extractable)};
  CK_RV rv = session->f()->C_GetAttributeValue(session->h(), keks->at(version), &attr, 1);
  // The value itself must never be readable.
  CK_BYTE value[64];
  CK_ATTRIBUTE secret{CKA_VALUE, value, sizeof(value)};
  CK_RV value_rv = session->f()->C_GetAttributeValue(session->h(), keks->at(version), &secret, 1);
  Release(std::move(session));
  if (rv != CKR_OK) return CkError(rv, "C_GetAttributeValue");
  if (value_rv == CKR_OK) return absl::InternalError("the HSM revealed a KEK value");
  return extractable != CK_FALSE;
}

}  // namespace convault::crypto
