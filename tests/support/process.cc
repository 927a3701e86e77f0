#include "support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "support/temp_dir.h"

extern char** environ;

namespace convault::testing {
namespace {

std::vector<std::string> Environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    std::string name = entry.substr(0, entry.find('='));
    if (name.rfind("CONVAULT_", 0) == 0) continue;  // tests choose their own
    if (extra.count(name) == 0) env.push_back(entry);
  }
  for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
  return env;
}

pid_t Spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra,
            posix_spawn_file_actions_t* actions) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env = Environment(extra);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, args[0], actions, nullptr, args.data(), envp.data()) != 0) return -1;
  return pid;
}

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env) {
  TempDir dir;
  std::string out = dir.File("out");
  std::string err = dir.File("err");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = Spawn(argv, env, &actions);
  posix_spawn_file_actions_destroy(&actions);
  CommandResult result;
  if (pid < 0) return result;
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = ExitCode(status);
  result.out = ReadFileOrEmpty(out);
  result.err = ReadFileOrEmpty(err);
  return result;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& stderr_path,
                           const std::map<std::string, std::string>& env) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0600);
  pid_ = Spawn(argv, env, &actions);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  out_fd_ = fds[0];
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !exited_) {
    kill(pid_, SIGKILL);
    Wait();
  }
  if (out_fd_ >= 0) close(out_fd_);
}

std::string ChildProcess::WaitForLine(const std::string& needle) {
  for (const auto& l : lines_) {
    if (l.find(needle) != std::string::npos) return l;
  }
  char buf[4096];
  while (true) {
    size_t nl;
    while ((nl = pending_.find('\n')) != std::string::npos) {
      lines_.push_back(pending_.substr(0, nl));
      pending_.erase(0, nl + 1);
      if (lines_.back().find(needle) != std::string::npos) return lines_.back();
    }
    ssize_t n = read(out_fd_, buf, sizeof(buf));
    if (n <= 0) return "";
    pending_.append(buf, static_cast<size_t>(n));
  }
}

void ChildProcess::Signal(int sig) {
  if (pid_ > 0 && !exited_) kill(pid_, sig);
}

int ChildProcess::Wait() {
  if (exited_) return code_;
  int status = 0;
  waitpid(pid_, &status, 0);
  exited_ = true;
  code_ = ExitCode(status);
  return code_;
}

uint16_t PortFrom(const std::string& listening_line) {
  size_t colon = listening_line.rfind(':', listening_line.find(" (data"));
  return static_cast<uint16_t>(std::stoi(listening_line.substr(colon + 1)));
}

std::string KeyFrom(const std::vector<std::string>& lines) {
  for (const auto& l : lines) {
    if (l.rfind("cvk_", 0) == 0) return l;
  }
  return "";
}

}  // namespace convault::testing
