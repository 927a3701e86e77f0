#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace convault::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a program to completion with extra environment variables; captures output.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env = {});

// A long-running child (the server). Its stdout is a pipe read line by line;
// its stderr goes to a file.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::string& stderr_path,
               const std::map<std::string, std::string>& env = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Blocks until a stdout line contains `needle` (returns it) or stdout closes ("").
  std::string WaitForLine(const std::string& needle);
  // Every stdout line read so far.
  const std::vector<std::string>& lines() const { return lines_; }
  void Signal(int sig);
  // Waits for exit; returns the exit code (128+signal when killed).
  int Wait();

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string pending_;
  std::vector<std::string> lines_;
  bool exited_ = false;
  int code_ = -1;
};

// From `convault serve` output: the port of its "listening on http://host:PORT
// (data: ...)" line, and the admin key it printed (a line starting "cvk_"), or "".
uint16_t PortFrom(const std::string& listening_line);
std::string KeyFrom(const std::vector<std::string>& lines);

}  // namespace convault::testing
