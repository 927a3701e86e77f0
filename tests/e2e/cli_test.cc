// The convault binary, as an operator uses it.
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace convault {
namespace {

using testing::ChildProcess;
using testing::CommandResult;
using ::testing::HasSubstr;
using testing::HttpClient;
using testing::KeyFrom;
using testing::PortFrom;
using testing::RunCommand;
using testing::TempDir;

const std::string kBin = CONVAULT_BINARY;

TEST(Cli, ServeInitializesOncePrintsTheKeyOnceAndStopsCleanlyOnSigterm) {
  TempDir dir;
  std::string data = dir.File("data");
  std::string log = dir.File("serve.log");
  std::string key;
  {
    ChildProcess serve({kBin, "serve", "--data", data, "--listen", "127.0.0.1:0"}, log);
    std::string line = serve.WaitForLine("listening on");
    ASSERT_FALSE(line.empty()) << testing::ReadFileOrEmpty(log);
    key = KeyFrom(serve.lines());
    ASSERT_FALSE(key.empty());
    EXPECT_EQ(testing::ReadFileOrEmpty(data + "/admin.key"), key + "\n");
    HttpClient client(PortFrom(line));
    EXPECT_EQ(client.Get("/v1/api-keys", key).status, 200);
    serve.Signal(SIGTERM);
    EXPECT_EQ(serve.Wait(), 0);
  }
  std::string logs = testing::ReadFileOrEmpty(log);
  EXPECT_THAT(logs, HasSubstr("\"event\":\"stopped\""));
  EXPECT_EQ(logs.find(key.substr(key.size() - 64)), std::string::npos) << "secret in logs";

  // Second start: no new key printed, the old one still works.
  ChildProcess again({kBin, "serve", "--data", data, "--listen", "127.0.0.1:0"}, log);
  std::string line = again.WaitForLine("listening on");
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(KeyFrom(again.lines()), "");
  HttpClient client(PortFrom(line));
  EXPECT_EQ(client.Get("/v1/api-keys", key).status, 200);
  again.Signal(SIGINT);
  EXPECT_EQ(again.Wait(), 0);
}

TEST(Cli, WhatWasAcknowledgedSurvivesKillMinus9) {
  TempDir dir;
  std::string data = dir.File("data");
  std::string log = dir.File("serve.log");
  std::vector<std::string> created;
  std::string admin;
  {
    ChildProcess serve({kBin, "serve", "--data", data, "--listen", "127.0.0.1:0"}, log);
    std::string line = serve.WaitForLine("listening on");
    ASSERT_FALSE(line.empty());
    admin = KeyFrom(serve.lines());
    HttpClient client(PortFrom(line));
    for (int i = 0; i < 20; ++i) {
      auto r = client.PostJson("/v1/api-keys", admin,
                               {{"name", "k" + std::to_string(i)}, {"roles", {"agent"}}});
      ASSERT_EQ(r.status, 201);
      created.push_back(r.Json()["id"]);
    }
    serve.Signal(SIGKILL);
    EXPECT_EQ(serve.Wait(), 128 + SIGKILL);
  }
  ChildProcess again({kBin, "serve", "--data", data, "--listen", "127.0.0.1:0"}, log);
  std::string line = again.WaitForLine("listening on");
  ASSERT_FALSE(line.empty());
  HttpClient client(PortFrom(line));
  for (const auto& id : created) {
    EXPECT_EQ(client.Get("/v1/api-keys/" + id, admin).status, 200) << id;
  }
  again.Signal(SIGTERM);
  EXPECT_EQ(again.Wait(), 0);
}

TEST(Cli, InitRefusesAnInitializedDirectoryAndChangesNothing) {
  TempDir dir;
  std::string data = dir.File("data");
  auto first = RunCommand({kBin, "init", "--data", data});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("cvk_"));
  std::string key_file = testing::ReadFileOrEmpty(data + "/admin.key");
  auto tenants = RunCommand({kBin, "tenant", "list", "--data", data});

  auto second = RunCommand({kBin, "init", "--data", data});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_THAT(second.err, HasSubstr("already initialized"));
  EXPECT_THAT(second.err, HasSubstr("nothing was changed"));
  EXPECT_EQ(second.out.find("cvk_"), std::string::npos);
  EXPECT_EQ(testing::ReadFileOrEmpty(data + "/admin.key"), key_file);
  EXPECT_EQ(RunCommand({kBin, "tenant", "list", "--data", data}).out, tenants.out);
}

TEST(Cli, TenantCreateWorksBesideARunningServer) {
  TempDir dir;
  std::string data = dir.File("data");
  ChildProcess serve({kBin, "serve", "--data", data, "--listen", "127.0.0.1:0"},
                     dir.File("serve.log"));
  std::string line = serve.WaitForLine("listening on");
  ASSERT_FALSE(line.empty());
  std::string default_key = KeyFrom(serve.lines());

  auto created = RunCommand({kBin, "tenant", "create", "acme", "--data", data});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::string acme_key;
  for (const auto& l : {created.out}) {
    size_t at = l.find("cvk_");
    ASSERT_NE(at, std::string::npos);
    acme_key = l.substr(at, l.find('\n', at) - at);
  }
  HttpClient client(PortFrom(line));
  auto mine = client.Get("/v1/api-keys", acme_key);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.Json()["items"].size(), 1u);
  EXPECT_EQ(client.Get("/v1/api-keys", default_key).Json()["items"].size(), 1u);

  auto duplicate = RunCommand({kBin, "tenant", "create", "acme", "--data", data});
  EXPECT_EQ(duplicate.exit_code, 1);
  EXPECT_THAT(duplicate.err, HasSubstr("already exists"));
  auto bad = RunCommand({kBin, "tenant", "create", "Bad Name!", "--data", data});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("tenant name"));
  serve.Signal(SIGTERM);
  EXPECT_EQ(serve.Wait(), 0);
}

TEST(Cli, KeysRotateBesideARunningServer) {
  TempDir dir;
  std::string data = dir.File("data");
  ChildProcess serve({kBin, "serve", "--data", data, "--listen", "127.0.0.1:0"},
                     dir.File("serve.log"));
  std::string line = serve.WaitForLine("listening on");
  ASSERT_FALSE(line.empty());
  std::string admin = KeyFrom(serve.lines());
  auto status = RunCommand({kBin, "keys", "status", "--data", data});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("provider: file"));
  EXPECT_THAT(status.out, HasSubstr("current KEK version: 1"));

  auto rotated = RunCommand({kBin, "keys", "rotate", "--data", data});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_THAT(rotated.out, HasSubstr("new KEK version 2"));
  EXPECT_THAT(rotated.out, HasSubstr("version 1  retiring"));
  EXPECT_THAT(rotated.out, HasSubstr("version 2  active"));
  // The running server sees the new version made by the other process.
  HttpClient client(PortFrom(line));
  EXPECT_EQ(client.Get("/v1/keys", admin).Json()["current_version"], 2);
  // No key material in any output.
  struct stat st {};
  ASSERT_EQ(stat((data + "/kek/kek-000002.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  serve.Signal(SIGTERM);
  EXPECT_EQ(serve.Wait(), 0);
}

TEST(Cli, PrivacyEraseCertificateAndAuditVerifyBesideARunningServer) {
  TempDir dir;
  std::string data = dir.File("data");
  ChildProcess serve({kBin, "serve", "--data", data, "--listen", "127.0.0.1:0"},
                     dir.File("serve.log"));
  std::string line = serve.WaitForLine("listening on");
  ASSERT_FALSE(line.empty());
  std::string admin = KeyFrom(serve.lines());
  HttpClient client(PortFrom(line));
  auto channel = client.PostJson("/v1/channels", admin, {{"type", "byoc"}, {"name", "site"}});
  ASSERT_EQ(channel.status, 201) << channel.body;
  auto integration =
      client.PostJson("/v1/api-keys", admin, {{"name", "i"}, {"roles", {"integration"}}});
  auto in = client.PostJson(
      "/v1/channels/" + channel.Json()["id"].get<std::string>() + "/inbound",
      integration.Json()["key"],
      {{"message_id", "m-1"}, {"from", {{"platform_key", "cli-erasee"}}}, {"text", "hello"}});
  ASSERT_EQ(in.status, 200) << in.body;
  std::string user = in.Json()["end_user_id"];

  auto found = RunCommand({kBin, "privacy", "search", "cli-erasee", "--data", data});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  EXPECT_THAT(found.out, HasSubstr("\"end_user_id\":\"" + user + "\""));
  auto exported = RunCommand(
      {kBin, "privacy", "export", user, "--data", data, "--out", dir.File("export.json")});
  ASSERT_EQ(exported.exit_code, 0) << exported.err << exported.out;
  auto document = nlohmann::json::parse(testing::ReadFileOrEmpty(dir.File("export.json")));
  EXPECT_EQ(document["end_user"]["platform_key"], "cli-erasee");
  EXPECT_EQ(document["manifest"]["counts"]["entries"], 1);
  auto erased = RunCommand({kBin, "privacy", "erase", user, "--data", data, "--reason", "asked"});
  ASSERT_EQ(erased.exit_code, 0) << erased.err << erased.out;
  auto out = nlohmann::json::parse(erased.out);
  EXPECT_EQ(out["status"], "completed");
  EXPECT_EQ(out["result"]["certificate"]["counts"]["end_users"], 1);
  std::string cert = dir.File("certificate.json");
  std::ofstream(cert) << out["result"]["certificate"].dump();
  auto verified = RunCommand({kBin, "audit", "verify-certificate", cert, "--data", data});
  EXPECT_EQ(verified.exit_code, 0) << verified.err << verified.out;
  auto forged_cert = out["result"]["certificate"];
  forged_cert["counts"]["entries"] = 99;
  std::ofstream(cert, std::ios::trunc) << forged_cert.dump();
  auto forged = RunCommand({kBin, "audit", "verify-certificate", cert, "--data", data});
  EXPECT_NE(forged.exit_code, 0);
  EXPECT_THAT(forged.out, HasSubstr("INVALID"));
  // The running server no longer has the end user.
  EXPECT_EQ(client.Get("/v1/end-users/" + user, admin).status, 404);
  EXPECT_EQ(RunCommand({kBin, "privacy", "search", "cli-erasee", "--data", data}).out, "");
  auto again = RunCommand({kBin, "privacy", "erase", user, "--data", data});
  EXPECT_NE(again.exit_code, 0);

  auto chain = RunCommand({kBin, "audit", "verify", "--data", data});
  EXPECT_EQ(chain.exit_code, 0) << chain.err << chain.out;
  EXPECT_THAT(chain.out, HasSubstr("default: valid"));
  serve.Signal(SIGTERM);
  EXPECT_EQ(serve.Wait(), 0);
}

int64_t CountRows(const std::string& db_path, const char* sql, const std::string& arg) {
  sqlite3* db = nullptr;
  int64_t n = -1;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK) {
      sqlite3_bind_text(st, 1, arg.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
      sqlite3_finalize(st);
    }
  }
  sqlite3_close_v2(db);
  return n;
}

// Every file under `dir`, read whole.
std::string AllBytesUnder(const std::string& dir) {
  std::string all;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir)) {
    if (f.is_regular_file()) all += testing::ReadFileOrEmpty(f.path().string());
  }
  return all;
}

TEST(Cli, BackupThenEraseThenRestoreKeepsTheSubjectErased) {
  TempDir dir;
  std::string data = dir.File("data");
  std::string backup_dir = dir.File("backup");
  const std::string erasee_name = "Canary Restorable Erasee";
  const std::string control_name = "Control Survivor Person";
  std::string admin, officer, erasee, control;
  {
    ChildProcess serve({kBin, "serve", "--data", data, "--listen", "127.0.0.1:0"},
                       dir.File("serve.log"));
    std::string line = serve.WaitForLine("listening on");
    ASSERT_FALSE(line.empty());
    admin = KeyFrom(serve.lines());
    HttpClient client(PortFrom(line));
    std::string channel =
        client.PostJson("/v1/channels", admin, {{"type", "byoc"}, {"name", "site"}}).Json()["id"];
    std::string integration =
        client.PostJson("/v1/api-keys", admin, {{"name", "i"}, {"roles", {"integration"}}})
            .Json()["key"];
    officer =
        client.PostJson("/v1/api-keys", admin, {{"name", "p"}, {"roles", {"privacy_officer"}}})
            .Json()["key"];
    auto post = [&](const std::string& id, const std::string& key, const std::string& name) {
      auto r = client.PostJson("/v1/channels/" + channel + "/inbound", integration,
                               {{"message_id", id},
                                {"from", {{"platform_key", key}, {"name", name}}},
                                {"text", "hello from " + name}});
      EXPECT_EQ(r.status, 200) << r.body;
      return r.Json()["end_user_id"].get<std::string>();
    };
    erasee = post("m-1", "restore-erasee", erasee_name);
    control = post("m-2", "restore-control", control_name);

    auto backed_up = RunCommand({kBin, "backup", "--data", data, "--out", backup_dir});
    ASSERT_EQ(backed_up.exit_code, 0) << backed_up.err;
    EXPECT_THAT(backed_up.out, HasSubstr("backup written"));
    auto erased = client.PostJson("/v1/privacy/requests", officer,
                                  {{"type", "erase"}, {"end_user_id", erasee}});
    ASSERT_EQ(erased.Json()["status"], "completed") << erased.body;
    serve.Signal(SIGTERM);
    ASSERT_EQ(serve.Wait(), 0);
  }
  // Plaintext never reaches a file, in the data directory or the backup.
  for (const std::string& d : {data, backup_dir}) {
    std::string bytes = AllBytesUnder(d);
    EXPECT_EQ(bytes.find(erasee_name), std::string::npos) << d;
    EXPECT_EQ(bytes.find(control_name), std::string::npos) << d;
    EXPECT_EQ(bytes.find("restore-erasee"), std::string::npos) << d;
  }
  EXPECT_EQ(RunCommand({kBin, "restore", "--from", dir.File("nope"), "--data", data}).exit_code, 1);
  auto restored = RunCommand({kBin, "restore", "--from", backup_dir, "--data", data});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_THAT(restored.out, HasSubstr("replayed 1 shred-log records"));

  ChildProcess again({kBin, "serve", "--data", data, "--listen", "127.0.0.1:0"},
                     dir.File("serve2.log"));
  std::string line = again.WaitForLine("listening on");
  ASSERT_FALSE(line.empty()) << testing::ReadFileOrEmpty(dir.File("serve2.log"));
  HttpClient client(PortFrom(line));
  EXPECT_EQ(client.Get("/v1/end-users/" + erasee, officer).status, 404);
  auto search = client.Get("/v1/privacy/search?q=restore-erasee", officer);
  EXPECT_EQ(search.Json()["items"].size(), 0u) << search.body;
  auto kept = client.Get("/v1/end-users/" + control, officer);
  ASSERT_EQ(kept.status, 200) << kept.body;
  EXPECT_EQ(kept.Json()["name"], control_name);
  // The backup still holds the erasee's (sealed) rows, but the restored key
  // store has no key for them: those rows can never be opened again.
  EXPECT_EQ(
      CountRows(backup_dir + "/data.db", "SELECT COUNT(*) FROM end_users WHERE id = ?", erasee), 1);
  EXPECT_EQ(CountRows(data + "/keys.db", "SELECT COUNT(*) FROM wrapped_keys WHERE subject_id = ?",
                      erasee),
            0);
  EXPECT_EQ(CountRows(data + "/keys.db", "SELECT COUNT(*) FROM wrapped_keys WHERE subject_id = ?",
                      control),
            1);
  again.Signal(SIGTERM);
  EXPECT_EQ(again.Wait(), 0);
}

CommandResult RunWithInput(const std::vector<std::string>& argv, const std::string& input,
                           const TempDir& dir) {
  std::string in = dir.File("stdin.txt");
  std::ofstream(in, std::ios::binary) << input;
  std::vector<std::string> shell = {"/bin/sh", "-c", ""};
  for (const auto& a : argv) shell[2] += "'" + a + "' ";
  shell[2] += "< '" + in + "'";
  return RunCommand(shell);
}

TEST(Cli, RedactMasksStdinLineByLine) {
  TempDir dir;
  auto r = RunWithInput({kBin, "redact"},
                        "card 4111 1111 1111 1111 ok\nno pii here\nssn 123-45-6789\n", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "card ***************1111 ok\nno pii here\nssn [US_SSN]\n");

  auto j = RunWithInput({kBin, "redact", "--detectors", "email,ipv4", "--json"},
                        "mail a@b.io from 10.0.0.1\n", dir);
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_EQ(j.out,
            "{\"text\":\"mail [EMAIL] from [IPV4]\",\"findings\":[{\"detector\":\"email\","
            "\"start\":5,\"end\":11,\"action\":\"replace\"},{\"detector\":\"ipv4\",\"start\":17,"
            "\"end\":25,\"action\":\"replace\"}]}\n");

  std::ofstream(dir.File("rules.json"))
      << R"([{"pattern": "ORD-\\d{6}", "replacement": "[ORDER]"}])";
  auto rules =
      RunWithInput({kBin, "redact", "--rules", dir.File("rules.json")}, "see ORD-123456\n", dir);
  ASSERT_EQ(rules.exit_code, 0) << rules.err;
  EXPECT_EQ(rules.out, "see [ORDER]\n");

  auto bad = RunWithInput({kBin, "redact", "--detectors", "nope"}, "x\n", dir);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("unknown detector"));
}

TEST(Cli, TenantCreateRefusesAnUninitializedDirectory) {
  TempDir dir;
  auto r = RunCommand({kBin, "tenant", "create", "acme", "--data", dir.File("empty")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("not initialized"));
}

TEST(Cli, BadConfigurationNamesTheFieldAndDoesNotStart) {
  TempDir dir;
  auto r =
      RunCommand({kBin, "serve", "--data", dir.File("d")}, {{"CONVAULT_HTTP_MAX_BODY_BYTES", "5"}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("http.max_body_bytes (from CONVAULT_HTTP_MAX_BODY_BYTES)"));
  auto bad_listen = RunCommand({kBin, "serve", "--data", dir.File("d"), "--listen", "nowhere"});
  EXPECT_EQ(bad_listen.exit_code, 2);
  EXPECT_THAT(bad_listen.err, HasSubstr("listen (from flag --listen)"));
}

}  // namespace
}  // namespace convault
